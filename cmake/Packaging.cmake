# The Debian package, talksearch_<version>_<arch>.deb (scripts/package.sh;
# `sudo apt install ./talksearch_*.deb`). The modules install the programs
# (/usr/bin), the dictionaries and the search page (/usr/share/talksearch);
# here: the service's files and CPack's DEB settings. deploy/debian holds the
# maintainer scripts that create the talksearch user, the admin token, the
# corpus and index in /var/lib/talksearch, and start the service.

# dpkg wants the unit and the configuration at these paths whatever the
# prefix, hence absolute destinations.
install(FILES deploy/talksearch.service DESTINATION /lib/systemd/system)
install(FILES deploy/talksearch.conf DESTINATION /etc/talksearch)
# The bundled corpus: the first install copies it to /var/lib/talksearch,
# where the admin API and maintainers change it.
install(DIRECTORY corpus/ DESTINATION "${CMAKE_INSTALL_DATADIR}/talksearch/corpus"
        FILES_MATCHING PATTERN "seminar.md" PATTERN "*.jsonl")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME talksearch)
set(CPACK_PACKAGE_CONTACT "talksearch maintainers <dev@talksearch.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "full-text search for the DLAP seminar talks (Japanese and English)")
set(CPACK_PACKAGE_DESCRIPTION
    "talks-server answers a JSON search API and serves the search widget for the\n\
seminar's static site; talks-index builds its Xapian index from the seminar page\n\
and JSON Lines files, segmenting Japanese with MeCab. Installs a systemd service\n\
run as the talksearch user, configured in /etc/talksearch/talksearch.conf.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
# Libraries from dpkg-shlibdeps; MeCab's dictionary is data it cannot see,
# adduser and init-system-helpers (deb-systemd-helper) the scripts use.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "mecab-ipadic-utf8, adduser, init-system-helpers")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/deploy/debian/conffiles"
    "${PROJECT_SOURCE_DIR}/deploy/debian/postinst"
    "${PROJECT_SOURCE_DIR}/deploy/debian/prerm"
    "${PROJECT_SOURCE_DIR}/deploy/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
