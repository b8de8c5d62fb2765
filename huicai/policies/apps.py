import os
import sys
import threading

from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "huicai.policies"
    label = "policies"
    verbose_name = "人才政策"

    def ready(self):
        # The development server loads jieba's dictionary as it starts, in the background, so the first
        # search does not wait seconds for it; gunicorn's workers do the same in gunicorn.conf.py
        # (post_worker_init). Other commands (migrate, tests, the scheduler) never pay for it unless they
        # search. RUN_MAIN marks runserver's serving child, not the file watcher.
        if starts_a_web_server(sys.argv, os.environ):
            from huicai.policies.search import warm_up

            threading.Thread(target=warm_up, name="jieba-warm-up", daemon=True).start()


def starts_a_web_server(argv, environ) -> bool:
    return len(argv) > 1 and argv[1] == "runserver" and environ.get("RUN_MAIN") == "true"
