"""Load benchmark of the annotation API: gunicorn + PostgreSQL on this machine."""
