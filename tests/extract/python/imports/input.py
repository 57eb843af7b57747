import os
import os.path, sys as system
import xml.etree.ElementTree as ET
from __future__ import annotations
from . import sibling
from .. import parent as p
from .pkg.mod import name
from ..up import (first,
                  second as two)
from package.module import *
from . mod import x


def lazy():
    import json
    from collections import OrderedDict as OD
    return json, OD


try:
    import cPickle as pickle
except ImportError:
    import pickle
