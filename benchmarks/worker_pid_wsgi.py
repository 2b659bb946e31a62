"""The application as gunicorn serves it (wsgi.py), each answer naming its worker process in X-Worker-Pid: what
benchmarks/suggestions_scale.py needs to tell the workers apart (a benchmark's wrapper, never deployed)."""
import os

from wsgi import app as application


def app(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return application(environ, start)
