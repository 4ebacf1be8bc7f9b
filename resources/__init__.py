"""Installed as the package ``workstation.resources`` (setup.py), so that importlib.resources
finds these files in a wheel and in an editable install alike; look them up through
workstation.resource_files. This file makes it a regular package, which setuptools'
editable finder needs to map a folder outside ``workstation/`` into it."""
