"""Gunicorn settings used by scripts/serve.sh (and picked up by any gunicorn started in this folder)."""

# The access log masks query strings and anything shaped like an ID number or phone (SECURITY.md).
logger_class = "huicai.core.gunicorn_logging.RedactingLogger"
