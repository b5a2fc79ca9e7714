"""botocore's model loader without its directory scan of every service.

Before it loads a model, botocore's `Loader.load_service_model` lists every service it knows to
check the name: it reads each of the ~420 folders under botocore/data and looks for the model
file in each, once for `service-2` and again for `endpoint-rule-set-1`. That scan took about a
tenth of a whole `pdj describe` (benchmarks/README.md, levers section 8), to learn that a
service pdj names itself exists. `ServiceModelLoader` loads the model straight from the
service's own folder and falls back to botocore's method only when that fails, so an unknown
service or a missing version raises exactly botocore's own error. Everything else (search paths
from AWS_DATA_PATH, the file loader, the instance cache, the sdk-extras) is botocore's.

The shortcut leans on two private parts of botocore's Loader (`_find_extras` and
`_extras_processor`). Should a botocore release rename or change them, the loader gives the
model botocore's own method loads instead of failing every command, and `create_loader` gives
botocore's plain loader if the custom one cannot be built at all.
"""

from __future__ import annotations

import os
import re
from typing import Any

import botocore.loaders
from botocore.exceptions import DataNotFoundError
from botocore.loaders import Loader, instance_cache


class ServiceModelLoader(Loader):
    @instance_cache
    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        if not _plain_name(service_name):
            return super().load_service_model(service_name, type_name, api_version)
        try:
            if api_version is None:
                api_version = self.determine_latest_version(service_name, type_name)
            model = self.load_data(os.path.join(service_name, api_version, type_name))
        except DataNotFoundError:
            # botocore decides which error this is (UnknownServiceError or DataNotFoundError).
            return super().load_service_model(service_name, type_name, api_version)
        try:
            # The private part: botocore's own steps for the sdk-extras, as its method runs them.
            extras = list(self._find_extras(service_name, type_name, api_version))
            self._extras_processor.process(model, extras)
        except Exception:
            # Renamed, removed or changed in this botocore: its own method knows its new names,
            # and any real error (a broken extras file) is then raised as botocore raises it.
            return super().load_service_model(service_name, type_name, api_version)
        return model


# A name as botocore spells its service folders. Anything else (a path, other letter case on a
# case-insensitive disk) goes through botocore's own check against its list of services.
_PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def _plain_name(service_name: str) -> bool:
    return _PLAIN_NAME.fullmatch(service_name) is not None


def create_loader(search_path_string: str | None) -> Loader:
    """botocore's loader for the session's `data_path` (AWS_DATA_PATH), as a ServiceModelLoader.

    botocore's plain loader if this botocore's Loader cannot be built that way (its constructor
    or `search_paths` changed): slower, but every command still works.
    """
    # botocore reads AWS_DATA_PATH (separators, ~ and $VARS) and adds its own folders after it.
    plain = botocore.loaders.create_loader(search_path_string)
    try:
        return ServiceModelLoader(
            extra_search_paths=list(plain.search_paths), include_default_search_paths=False
        )
    except Exception:
        return plain
