"""Interchange formats (W3C Web Annotation, brat, FollowTheMoney, CSV); domain only.

Writers take an ``ExportBundle`` (plain records a service gathered) and a path; readers yield,
per line or item, a parsed record or an ``InterchangeError`` so one bad line never stops an
import. followthemoney and jsonschema are imported only when FtM or validation is used.
"""

from workstation.interchange.brat import write_brat
from workstation.interchange.bundle import ExportBundle
from workstation.interchange.csv_table import write_csv
from workstation.interchange.errors import InterchangeError
from workstation.interchange.ftm import write_ftm
from workstation.interchange.ftm_parse import FtmEntity, FtmSkipped, iter_ftm
from workstation.interchange.w3c import validate_w3c, write_w3c
from workstation.interchange.w3c_parse import EntityRef, W3CAnnotation, parse_w3c_line
from workstation.interchange.w3c_read import iter_w3c

__all__ = [
    "EntityRef",
    "ExportBundle",
    "FtmEntity",
    "FtmSkipped",
    "InterchangeError",
    "W3CAnnotation",
    "iter_ftm",
    "iter_w3c",
    "parse_w3c_line",
    "validate_w3c",
    "write_brat",
    "write_csv",
    "write_ftm",
    "write_w3c",
]
