# The Vagrant layout and the shell scripts: what can be checked without
# booting virtual machines.

test_vagrantfile_parses_and_names_seven_vms() {
    check ruby -c "$TOP_SRCDIR/vagrant/Vagrantfile"
    local vm
    for vm in central-ic central-east central-west gw-east gw-west \
              worker-east worker-west; do
        grep -q "\"$vm\"" "$TOP_SRCDIR/vagrant/Vagrantfile" ||
            fail "no VM $vm"
    done
}

test_scripts_pass_shellcheck() {
    cd "$TOP_SRCDIR"
    check shellcheck -x -S warning vagrant/provision/*.sh \
        vagrant/make-box.sh tests/vagrant-boot.sh utilities/ovn-ic-sandbox utilities/ovn-ic-lab.sh \
        utilities/install-deps.sh tests/check-all.sh tests/run-tests.sh \
        .ci/run
}

test_provisioning_scripts_parse() {
    local f
    for f in "$TOP_SRCDIR"/vagrant/provision/*.sh; do
        check bash -n "$f"
    done
}
