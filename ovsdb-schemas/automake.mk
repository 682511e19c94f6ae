# The IC schemas are installed for ovsdb-server; the client views are build
# inputs only.
dist_pkgdata_DATA += \
	ovsdb-schemas/ovn-ic-nb.ovsschema \
	ovsdb-schemas/ovn-ic-sb.ovsschema
EXTRA_DIST += \
	ovsdb-schemas/ovn-nb-cv.ovsschema \
	ovsdb-schemas/ovn-sb-cv.ovsschema \
	ovsdb-schemas/client-view.py
