"""Real responses checked against our own OpenAPI schema (issue 12: honest types).

The schema is OpenAPI 3.0 (drf-spectacular's default), whose ``nullable`` JSON Schema does not know: it is
rewritten as ``anyOf [..., null]`` and the body validated with jsonschema (Draft 2020-12), the schema's
components at the root so that every ``#/components/schemas/…`` reference resolves. A field the schema
says is a string and the API sends as null, a list declared of objects that holds numbers, a required
field missing: each fails here.
"""

import functools

from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator


def _nullable_as_json_schema(node):
    if isinstance(node, list):
        return [_nullable_as_json_schema(value) for value in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


@functools.cache
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


@functools.cache
def _components() -> dict:
    return _nullable_as_json_schema(schema()["components"])


def response_schema(method: str, path: str, status: int) -> dict:
    operation = schema()["paths"][path][method.lower()]
    response = operation["responses"][str(status)]
    return _nullable_as_json_schema(response["content"]["application/json"]["schema"])


def errors_against_schema(response, method: str, path: str) -> list[str]:
    """Every way the body of ``response`` (to ``method path``, path as the schema writes it) breaks the
    schema documented for its status; [] when it conforms."""
    root = {"components": _components(), **response_schema(method, path, response.status_code)}
    validator = Draft202012Validator(root)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(response.json())
    ]
