"""Gunicorn settings used by scripts/serve.sh (and picked up by any gunicorn started in this folder)."""

# The access log masks query strings and anything shaped like an ID number or phone (SECURITY.md).
logger_class = "huicai.core.gunicorn_logging.RedactingLogger"


def post_worker_init(worker):
    """Each worker loads jieba's dictionary as it starts (seconds), so no search waits for it (issue 12).
    Called after the worker has loaded the application, so Django is set up."""
    from huicai.policies.search import warm_up

    warm_up()
