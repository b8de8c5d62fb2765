"""Walk the pages a person reaches by following links from where they land: for checks that must hold on
every page of a role (no article numbers for talents, nothing wider than a phone)."""

import re
from html import unescape

LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"', re.I)
# Not pages to read: the admin, the API, signing out, files, and the API's own documentation.
SKIP = re.compile(r"^/(admin|api|static|media)/|/logout/|download|export|/file|/report|\.(pdf|xlsx|csv|png)$")
ARTICLE = re.compile(r"(?<![A-Za-z0-9])[WS]\d{1,2}(?:-\d+)?(?![0-9A-Za-z])")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def crawl(client, start="/", *, limit=60):
    """{path: response} for the HTML pages reachable from ``start`` (GET only), breadth first."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            pages[path] = response
            continue
        pages[path] = response
        for link in LINK.findall(response.content.decode()):
            link = unescape(link)
            # One page of each list is enough: the same template with other rows.
            if "page=" in link or link in seen:
                continue
            queue.append(link)
    return pages
