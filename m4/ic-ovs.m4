# IC_CHECK_OVS
# ------------
# Finds the Open vSwitch source and build trees that the daemon links against.
#
# By default, Debian's openvswitch-source tarball is unpacked into ovs-src/
# in the build directory and configured into ovs-build/, static and with SSL
# enforced.  --with-ovs-source and --with-ovs-build point at existing trees
# instead.  Either way, OVS's config.h is copied, minus its PACKAGE and
# VERSION macros, into ovs-config.h so that every translation unit sees the
# same ABI-relevant macros (atomics, thread-local storage) as the library.
AC_DEFUN([IC_CHECK_OVS], [
  AC_ARG_WITH([ovs-source],
    [AS_HELP_STRING([--with-ovs-source=DIR],
                    [Open vSwitch source tree (default: unpack
                     /usr/src/openvswitch/openvswitch.tar.gz)])],
    [OVS_SRCDIR=$withval], [OVS_SRCDIR=])
  AC_ARG_WITH([ovs-build],
    [AS_HELP_STRING([--with-ovs-build=DIR],
                    [configured Open vSwitch build tree (default: the
                     source tree, or ovs-build/ when unpacked here)])],
    [OVS_BUILDDIR=$withval], [OVS_BUILDDIR=])
  AC_ARG_VAR([OVS_TARBALL], [Open vSwitch source tarball])
  : ${OVS_TARBALL=/usr/src/openvswitch/openvswitch.tar.gz}

  ic_abs_builddir=`pwd`
  if test -z "$OVS_SRCDIR"; then
    if test ! -f "$ic_abs_builddir/ovs-src/configure"; then
      if test ! -f "$OVS_TARBALL"; then
        AC_MSG_ERROR([$OVS_TARBALL not found: install openvswitch-source or
                      pass --with-ovs-source])
      fi
      AC_MSG_NOTICE([unpacking $OVS_TARBALL into ovs-src/])
      mkdir -p ovs-src
      tar -C ovs-src --strip-components=1 -xzf "$OVS_TARBALL" ||
        AC_MSG_ERROR([cannot unpack $OVS_TARBALL])
    fi
    OVS_SRCDIR=$ic_abs_builddir/ovs-src
    test -n "$OVS_BUILDDIR" || OVS_BUILDDIR=$ic_abs_builddir/ovs-build
  fi
  OVS_SRCDIR=`cd "$OVS_SRCDIR" && pwd` ||
    AC_MSG_ERROR([--with-ovs-source: no such directory])
  test -n "$OVS_BUILDDIR" || OVS_BUILDDIR=$OVS_SRCDIR
  for f in lib/ovsdb-idl.h lib/db-ctl-base.h ovsdb/ovsdb-idlc.in python/ovs; do
    test -e "$OVS_SRCDIR/$f" ||
      AC_MSG_ERROR([$OVS_SRCDIR is not an Open vSwitch source tree (no $f)])
  done

  if test ! -f "$OVS_BUILDDIR/config.h"; then
    AC_MSG_NOTICE([configuring Open vSwitch in $OVS_BUILDDIR])
    mkdir -p "$OVS_BUILDDIR"
    (cd "$OVS_BUILDDIR" &&
     "$OVS_SRCDIR"/configure --enable-ssl --disable-shared --enable-static \
        --prefix=/usr --localstatedir=/var --sysconfdir=/etc \
        CFLAGS="${OVS_CFLAGS:--g -O2}" >config.log.ic 2>&1) ||
      AC_MSG_ERROR([Open vSwitch configure failed, see
                    $OVS_BUILDDIR/config.log.ic])
  fi
  OVS_BUILDDIR=`cd "$OVS_BUILDDIR" && pwd` ||
    AC_MSG_ERROR([--with-ovs-build: no such directory])
  test -f "$OVS_BUILDDIR/config.h" ||
    AC_MSG_ERROR([$OVS_BUILDDIR is not a configured Open vSwitch build tree])
  grep -q '^#define HAVE_OPENSSL 1' "$OVS_BUILDDIR/config.h" ||
    AC_MSG_ERROR([Open vSwitch in $OVS_BUILDDIR was built without SSL;
                  reconfigure it with --enable-ssl])

  grep -v -E '^#define (PACKAGE|VERSION)' "$OVS_BUILDDIR/config.h" \
    > ovs-config.h.tmp
  if cmp -s ovs-config.h.tmp ovs-config.h; then
    rm -f ovs-config.h.tmp
  else
    mv ovs-config.h.tmp ovs-config.h
  fi

  AC_MSG_CHECKING([for Open vSwitch])
  AC_MSG_RESULT([source $OVS_SRCDIR, build $OVS_BUILDDIR])
  OVS_CPPFLAGS="-I$OVS_BUILDDIR -I$OVS_SRCDIR/include -I$OVS_BUILDDIR/include -I$OVS_SRCDIR/lib -I$OVS_BUILDDIR/lib -I$OVS_SRCDIR"
  OVS_LIBDIR=$OVS_BUILDDIR/lib
  AC_SUBST([OVS_SRCDIR])
  AC_SUBST([OVS_BUILDDIR])
  AC_SUBST([OVS_CPPFLAGS])
  AC_SUBST([OVS_LIBDIR])
])
