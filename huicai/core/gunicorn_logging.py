"""Gunicorn's access log without personal data (SECURITY.md: never in logs or URLs).

The pages keep ID numbers and phones out of URLs (searches are POSTed or carried as a keyed hash), but a
typed address, an old bookmark or a scanner can still put one in a request line, and a name searched for
is personal data too. So the access log masks every query-string value except those of a few parameters
known to carry none (page numbers, ids of windows and employers, hashes), and masks anything shaped like
an ID number or a mainland mobile in what is left (path, referer, headers). Used by ``gunicorn.conf.py``.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gunicorn.glogging import Logger

from huicai.core.logging import redact

# Query parameters whose values are never personal data: shown as they are.
SAFE_PARAMETERS = frozenset(
    {
        "page",
        "page_size",
        "window",
        "employer",
        "category",
        "ref",
        "status",
        "kind",
        "month",
        "chart",
        "format",
    }
)
MASK = "***"


def mask_query(query: str) -> str:
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs:
        return MASK
    masked = [(key, value if key in SAFE_PARAMETERS else MASK) for key, value in pairs]
    return urlencode(masked, safe="*")


def mask_uri(uri: str) -> str:
    if not uri or "?" not in uri:
        return redact(uri or "")
    parts = urlsplit(uri)
    return redact(urlunsplit(parts._replace(query=mask_query(parts.query))))


class RedactingLogger(Logger):
    """Gunicorn's logger with the request line, query string, referer and headers masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        method, _space, rest = atoms["r"].partition(" ")
        uri, _space, protocol = rest.rpartition(" ")
        atoms["r"] = f"{method} {mask_uri(uri)} {protocol}"
        atoms["q"] = mask_query(atoms.get("q") or "")
        atoms["U"] = redact(atoms.get("U") or "")
        atoms["f"] = mask_uri(atoms.get("f") or "-")
        for key, value in list(atoms.items()):
            if key.endswith("}i") or key.endswith("}e"):
                atoms[key] = mask_uri(value) if isinstance(value, str) else value
        return atoms
