# The agent workspace: canned replies per team, personal saved queue views, presence (collision hints).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_organisations_users_teams'),
        ('tickets', '0007_effort_time_entries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CannedReply',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=100, verbose_name='title')),
                ('body', models.TextField(help_text='Markdown. Placeholders: {customer_name}, {reference}, {deadline}, {agent_name}.', verbose_name='text')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='canned_replies', to='accounts.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'canned reply',
                'verbose_name_plural': 'canned replies',
                'ordering': ['team', 'title'],
                'constraints': [models.UniqueConstraint(fields=('team', 'title'), name='canned_reply_unique_title_per_team')],
            },
        ),
        migrations.CreateModel(
            name='SavedView',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='name')),
                ('query', models.CharField(blank=True, max_length=1000, verbose_name='filters')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='saved_views', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
            ],
            options={
                'verbose_name': 'saved queue view',
                'verbose_name_plural': 'saved queue views',
                'ordering': ['owner', 'name'],
                'constraints': [models.UniqueConstraint(fields=('owner', 'name'), name='saved_view_unique_name_per_owner')],
            },
        ),
        migrations.CreateModel(
            name='TicketPresence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seen_at', models.DateTimeField(db_index=True, verbose_name='last seen')),
                ('typing_at', models.DateTimeField(blank=True, null=True, verbose_name='last typed')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='presences', to='tickets.ticket', verbose_name='ticket')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='agent')),
            ],
            options={
                'verbose_name': 'ticket presence',
                'verbose_name_plural': 'ticket presences',
                'constraints': [models.UniqueConstraint(fields=('ticket', 'user'), name='ticket_presence_one_per_user')],
            },
        ),
    ]
