"""Interop: bulk import (rows, dumps), export (JSON, CSV) and FHIR R4."""
