"""Which packages go into the distribution; everything else is in pyproject.toml.

resources/ (fonts, interchange schemas, the sample) stays at the repository root, and is
installed as the data package ``workstation.resources`` so that ``importlib.resources`` finds
it the same way in a wheel and in an editable install (workstation.resource_files).
pyproject.toml's ``packages.find`` cannot add a package mapped from another folder to what it
finds, hence this file.
"""

from setuptools import find_namespace_packages, setup

CODE = find_namespace_packages(include=["workstation", "workstation.*", "briefs", "briefs.*"])
# resources/fonts → workstation.resources.fonts, and so on: listing the data folders as
# packages keeps setuptools from warning about data that looks like packages.
DATA = ["workstation.resources"] + [
    f"workstation.{name}" for name in find_namespace_packages(include=["resources.*"])
]

setup(
    packages=CODE + DATA,
    package_dir={"workstation.resources": "resources"},
    package_data={name: ["*"] for name in DATA},
    include_package_data=False,
)
