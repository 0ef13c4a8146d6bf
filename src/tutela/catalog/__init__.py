"""The policy as data.

- `model`: typed, frozen models (`Catalog`, `Requirement`, `FrameworkReference`...);
- `importer`: policy markdown -> `Catalog` (`import_policy`, `parse_policy`);
- `loader`: YAML <-> `Catalog` (`load_catalog(None)` is the shipped ENG-POL-003);
- `lint`: problems in the section-4 framework mapping;
- `coverage`: which rules and evidence types verify which requirements;
- `oscal`: the catalog as an OSCAL 1.1 catalog.

Submodules are imported explicitly so that importing one does not load the others.
"""

SHIPPED_CATALOG = "data/catalog.yaml"
"""Path of the shipped catalog inside the `tutela` package."""
