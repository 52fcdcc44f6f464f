"""An Atom feed of a product's published releases, in the reader's language (else the other one)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import selectors


class ProductReleasesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return selectors.product_get(slug=slug)

    def title(self, product):
        return _("Releases of %(product)s") % {"product": product.name}

    def link(self, product):
        return reverse("products:product", kwargs={"slug": product.slug})

    def subtitle(self, product):
        return _("New versions, improvements and security updates of %(product)s.") % {"product": product.name}

    def items(self, product):
        return selectors.releases_for_product(user=None, product=product)[:50]

    def item_title(self, release):
        if release.is_security:
            return _("%(release)s (security update)") % {"release": release}
        return str(release)

    def item_description(self, release):
        return release.notes_in(get_language() or "en")[0]

    def item_link(self, release):
        return reverse("products:product", kwargs={"slug": release.product.slug}) + f"#release-{release.pk}"

    def item_pubdate(self, release):
        return release.published_at

    def item_updateddate(self, release):
        return release.published_at
