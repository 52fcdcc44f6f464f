#!/usr/bin/env python
"""Take the README screenshot from a running `make run`: sign in as a demo user and capture a page.

Usage: .venv/bin/python scripts/screenshot.py [--user customer] [--path /tickets/] [--out docs/screenshot.png]
"""

import argparse

from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="customer")
    parser.add_argument("--path", default="/")
    parser.add_argument("--out", default="docs/screenshot.png")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="de-DE")
        page.goto(args.base + "/account/login/")
        page.fill("input[name=username]", args.user)
        page.fill("input[name=password]", "demo")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(args.base + args.path)
        page.screenshot(path=args.out, full_page=False)
        browser.close()


if __name__ == "__main__":
    main()
