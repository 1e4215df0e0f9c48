# Debian package (cpack -G DEB from the build tree): the console, the CLI and the agent bundle.
#   cmake --build build && (cd build && cpack -G DEB)
# Runtime dependencies come from dpkg-shlibdeps over the installed binaries, plus what is loaded
# at run time and so invisible to it: libsecret (QtKeychain dlopen()s it) and a Secret Service.
set(CPACK_PACKAGE_NAME "aetherv")
set(CPACK_PACKAGE_VENDOR "Aether-V")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "The Aether-V desktop console (aetherv-console) and command-line tool (aetherv-deploy) serve "
    "the agent bundle - PowerShell scripts, provisioning ISOs and a version file - from an "
    "embedded HTTP server and keep every Hyper-V host of an environment profile in sync with it "
    "over WinRM. The bundle is installed under /usr/share/aetherv/agent.")
set(CPACK_PACKAGE_CONTACT "Aether-V maintainers <aetherv@localhost>")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "aetherv")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsecret-1-0")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager, qt6-translations-l10n")
set(CPACK_GENERATOR "DEB")
include(CPack)
