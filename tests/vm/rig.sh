#!/usr/bin/env bash
# The VM rig: a QEMU (TCG) guest running Debian's own kernel with emulated NVMe devices, a
# vfio-pci controller behind an emulated IOMMU and the kernel NVMe/TCP target. The guest's
# userland is this machine's root, shared read-only over 9p, so the project's build tree,
# bash, nvme-cli and fio run inside it unchanged. The guest is described in guest.conf.
#
#   rig.sh fetch [--refresh]    install QEMU & co. on the host if missing; cache Debian's current
#                               kernel in <repo>/.cache/vm (reused; --refresh looks again)
#   rig.sh run [--timeout S] [--tcp-port PORT] [--results DIR] -- CMD [ARGS...]
#                               boot, run CMD in the guest (cwd = repo root), stream its stdout
#                               and stderr back, exit with its status (124 on timeout,
#                               125 when the guest could not be set up)
#   rig.sh shell [--tcp-port PORT]   boot and give an interactive bash in the guest
#   rig.sh devices              print the device table
#
# Environment: XNVME_VM_CACHE (cache dir), XNVME_VM_VERBOSE=1 (show the guest console live).
# docs/vm.md has the details. The subcommand `_guest` is the guest-side half of this script.
set -euo pipefail
shopt -s inherit_errexit

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
conf="$here/guest.conf"
# shellcheck source=guest.conf disable=SC1091 # plain variables
. "$conf"

log() { echo "vm: $*" >&2; }
die() {
	echo "vm: error: $*" >&2
	exit 1
}

# guest.conf's tables, parsed once in pure bash: the guest side runs under TCG, where every
# program started costs. ctrl_ids / ns_names keep the order of the file.
ctrl_ids=()
ns_names=()
modules=()
declare -A c_serial=() c_addr=() c_role=() ns_row=() module_params=()
parse_conf() {
	local line f
	while IFS= read -r line; do
		read -ra f <<<"${line%%#*}"
		((${#f[@]} == 4)) || { ((${#f[@]} == 0)) && continue; die "guest.conf VM_CONTROLLERS: bad row '$line'"; }
		ctrl_ids+=("${f[0]}")
		c_serial[${f[0]}]=${f[1]}
		c_addr[${f[0]}]=${f[2]}
		c_role[${f[0]}]=${f[3]}
	done <<<"$VM_CONTROLLERS"
	while IFS= read -r line; do
		read -ra f <<<"${line%%#*}"
		((${#f[@]} == 12)) || { ((${#f[@]} == 0)) && continue; die "guest.conf VM_NAMESPACES: bad row '$line'"; }
		[[ -n "${c_role[${f[1]}]:-}" ]] || die "guest.conf: namespace ${f[0]} on unknown controller ${f[1]}"
		ns_names+=("${f[0]}")
		ns_row[${f[0]}]="${f[*]}"
	done <<<"$VM_NAMESPACES"
	while IFS= read -r line; do
		read -ra f <<<"${line%%#*}"
		modules+=("${f[@]}")
	done <<<"$VM_MODULES"
	while IFS= read -r line; do
		read -ra f <<<"${line%%#*}"
		((${#f[@]} >= 2)) || { ((${#f[@]} == 0)) && continue; die "guest.conf VM_MODULE_PARAMS: bad row '$line'"; }
		module_params[${f[0]//-/_}]="${f[*]:1}"
	done <<<"${VM_MODULE_PARAMS:-}"
}
parse_conf

# ---------------------------------------------------------------------------------------------
# fetch: host packages and the kernel cache
# ---------------------------------------------------------------------------------------------
cache=${XNVME_VM_CACHE:-$repo/.cache/vm}
host_packages=(qemu-system-x86 busybox-static nvme-cli cpio)
# dmsetup runs in the guest (the host's root) for tests/faults
host_packages+=(dmsetup)

apt_updated=0
apt_update_once() {
	((apt_updated)) && return 0
	log "apt-get update"
	apt-get update -qq || die "apt-get update failed: Debian's archive is not reachable"
	apt_updated=1
}

ensure_host_packages() {
	local pkg missing=()
	for pkg in "${host_packages[@]}"; do
		[[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" == "install ok installed" ]] ||
			missing+=("$pkg")
	done
	((${#missing[@]} == 0)) && return 0
	[[ $(id -u) -eq 0 ]] || die "missing host packages ${missing[*]}: install them as root"
	log "installing ${missing[*]}"
	apt_update_once
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		>/dev/null || die "apt-get install ${missing[*]} failed"
}

# apt_download DIR PKG: the .deb into DIR, updating the package lists once if needed.
apt_download() {
	(cd "$1" && apt-get download -q -o APT::Sandbox::User=root "$2" >/dev/null 2>&1) && return 0
	apt_update_once
	(cd "$1" && apt-get download -q -o APT::Sandbox::User=root "$2" >/dev/null) ||
		die "apt-get download $2 failed: Debian's archive is not reachable"
}

# Loads kernel.env (VM_KPKG, VM_KVER) and sets VM_KDIR when the cache is complete.
kernel_cached() {
	[[ -f "$cache/kernel.env" ]] || return 1
	# shellcheck source=/dev/null
	. "$cache/kernel.env"
	VM_KDIR="$cache/kernel-$VM_KVER"
	[[ -f "$VM_KDIR/boot/vmlinuz-$VM_KVER" && -d "$VM_KDIR/lib/modules/$VM_KVER/kernel" ]]
}

cmd_fetch() {
	local refresh=0
	[[ "${1:-}" == "--refresh" ]] && refresh=1
	ensure_host_packages
	if ((!refresh)) && kernel_cached; then
		log "cache ok: kernel $VM_KVER in $VM_KDIR"
		return 0
	fi
	mkdir -p "$cache"
	local dl meta dep pkg ver
	dl=$(mktemp -d "$cache/dl.XXXXXX")
	# shellcheck disable=SC2064 # expand now: dl is local
	trap "rm -rf '$dl'" EXIT
	apt_download "$dl" linux-image-amd64
	meta=$(echo "$dl"/linux-image-amd64_*.deb)
	# Depends: linux-image-6.1.0-NN-amd64 (= ...): the versioned package of the day.
	dep=$(dpkg-deb -f "$meta" Depends)
	pkg=${dep%%[ ,|]*}
	[[ "$pkg" =~ ^linux-image-[0-9].*-amd64$ ]] || die "unexpected Depends of linux-image-amd64: '$dep'"
	log "linux-image-amd64 depends on $pkg; downloading it"
	apt_download "$dl" "$pkg"
	rm -rf "$dl/x"
	dpkg -x "$dl/$pkg"_*.deb "$dl/x"
	ver=$(cd "$dl/x/boot" && echo vmlinuz-*)
	ver=${ver#vmlinuz-}
	[[ -f "$dl/x/boot/vmlinuz-$ver" && -d "$dl/x/lib/modules/$ver/kernel" ]] ||
		die "$pkg holds no kernel + modules where expected"
	rm -rf "$cache/kernel-$ver" "$cache/kernel.env"
	mv "$dl/x" "$cache/kernel-$ver"
	# Written last: its presence means the cache is complete.
	printf 'VM_KPKG=%q\nVM_KVER=%q\n' "$pkg" "$ver" >"$cache/kernel.env"
	# Older kernels are not needed any more.
	find "$cache" -maxdepth 1 \( -name 'kernel-*' -o -name 'initramfs-*' \) ! -name "kernel-$ver" \
		-exec rm -rf {} +
	rm -rf "$dl"
	trap - EXIT
	log "cached kernel $ver ($pkg) in $cache/kernel-$ver"
}

# ---------------------------------------------------------------------------------------------
# The initramfs: busybox, the modules, and an init that mounts the shares and chroots
# ---------------------------------------------------------------------------------------------

# Busybox and the modules, in load order, as a cpio archive kept in the cache (it changes only
# with the kernel, the module list or busybox). Each module's depends= is checked against the
# order, so a bad list fails here and not in the guest.
base_initramfs() {
	local sum out root mdir f n m key deps d
	sum=$(printf '%s\n' "$VM_KVER" "${modules[*]}" "${VM_MODULE_PARAMS:-}" \
		"$(stat -c '%s %Y' /bin/busybox)" | cksum)
	out="$cache/initramfs-$VM_KVER-${sum%% *}.cpio"
	[[ -s "$out" ]] && { echo "$out"; return 0; }
	root="$run_dir/base"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,lib/modules}
	cp /bin/busybox "$root/bin/busybox"
	mdir="$VM_KDIR/lib/modules/$VM_KVER/kernel"
	local -A path=() loaded=()
	while IFS= read -r f; do
		n=${f##*/}
		n=${n%%.ko*}
		path[${n//-/_}]=$f
	done < <(find "$mdir" -name '*.ko*')
	: >"$root/etc/modules"
	for m in "${modules[@]}"; do
		key=${m//-/_}
		f=${path[$key]:-}
		[[ -n "$f" ]] || die "module $m (guest.conf VM_MODULES) is not in kernel $VM_KVER"
		case $f in
		*.ko) cp "$f" "$root/lib/modules/$key.ko" ;;
		*.ko.xz) xz -dc "$f" >"$root/lib/modules/$key.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$root/lib/modules/$key.ko" ;;
		*) die "module $f: unknown compression" ;;
		esac
		deps=$(tr '\0' '\n' <"$root/lib/modules/$key.ko" | sed -n 's/^depends=//p')
		for d in ${deps//,/ }; do
			[[ -n "${loaded[${d//-/_}]:-}" ]] ||
				die "module $m needs $d first: fix the order of VM_MODULES in guest.conf"
		done
		loaded[$key]=1
		echo "$m $key.ko ${module_params[$key]:-}" >>"$root/etc/modules"
	done
	for key in "${!module_params[@]}"; do
		[[ -n "${loaded[$key]:-}" ]] || die "guest.conf VM_MODULE_PARAMS: $key is not in VM_MODULES"
	done
	(cd "$root" && find . | cpio -o -H newc --quiet) >"$out.$$"
	mv "$out.$$" "$out"
	echo "$out"
}

# PID 1 of the guest (busybox sh). Settings come from /etc/vm-init.conf.
write_init() {
	cat >"$1" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# What udev would add: bash's process substitution needs /dev/fd.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
. /etc/vm-init.conf
export XNVME_VM_VERBOSE="$VERBOSE"
say() { echo "vm-init: [$(cut -d' ' -f1 /proc/uptime)] $*"; }

fail() {
	echo "vm-init: FAIL: $*"
	dmesg | tail -n 8
	[ -d /share ] && echo "$*" >/share/error
	sync
	poweroff -f
}

# The vfio controllers must not be claimed by nvme: pin them to vfio-pci before either loads.
for bdf in $VFIO_BDFS; do
	[ -e "/sys/bus/pci/devices/$bdf" ] || fail "vfio controller $bdf is not on the guest's PCI bus"
	echo vfio-pci >"/sys/bus/pci/devices/$bdf/driver_override" || fail "driver_override $bdf"
done

while read -r name file params; do
	# shellcheck disable=SC2086 # the parameters are words
	insmod "/lib/modules/$file" $params || fail "insmod $name ($file $params) failed"
done </etc/modules
say "modules loaded"

mkdir -p /lower /rw /host /share
o=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$o,ro,cache=loose" host /lower || fail "cannot mount the host's root (9p tag host)"
mount -t 9p -o "$o" xvmrun /share || fail "cannot mount the run share (9p tag xvmrun)"
mount -t 9p -o "$o" xvmres /share/results || fail "cannot mount the results share (9p tag xvmres)"
# The host's root, made writable by a throw-away layer in guest memory: tests may write
# anywhere (the build tree, /var/tmp); nothing reaches the host but the two shares.
mount -t tmpfs -o mode=0755 tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /host ||
	fail "cannot mount the overlay over the host's root"
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t configfs configfs /sys/kernel/config
mount -o rbind /dev /host/dev
mount -o rbind /proc /host/proc
mount -o rbind /sys /host/sys
# A fresh /tmp, unless the project itself lives there (then the overlay keeps /tmp writable).
case "$REPO/" in
/tmp/*) say "the repo is under /tmp: /tmp stays the host's, behind the overlay" ;;
*) mount -t tmpfs -o mode=1777 tmpfs /host/tmp ;;
esac
mount -t tmpfs -o mode=0755 tmpfs /host/run
mkdir -p /host/tmp/xnvme-vm
mount -o rbind /share /host/tmp/xnvme-vm

ip link set lo up
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
{ ip link set eth0 up && ip addr add "$GUEST_IP/24" dev eth0; } || fail "cannot configure eth0"
say "mounted, network up"

if [ "$MODE" = shell ]; then
	setsid cttyhack chroot /host /bin/bash "$RIG" _guest shell
else
	chroot /host /bin/bash "$RIG" _guest run </dev/null
	rc=$?
	[ -s /share/status ] || [ -s /share/error ] || echo "guest setup exited with status $rc" >/share/error
fi
sync
poweroff -f
INIT
	chmod 755 "$1"
}

# The cached base plus this run's init and settings (the kernel unpacks concatenated archives).
build_initramfs() {
	local out=$1 mode=$2 base root id vfio=""
	base=$(base_initramfs)
	root=$(dirname "$out")/initramfs
	mkdir -p "$root/etc"
	for id in "${ctrl_ids[@]}"; do
		[[ "${c_role[$id]}" == vfio ]] && vfio+="0000:00:${c_addr[$id]}.0 "
	done
	printf 'MODE=%s\nVFIO_BDFS="%s"\nGUEST_IP=%s\nRIG=%q\nREPO=%q\nVERBOSE=%s\n' "$mode" "$vfio" \
		"$VM_GUEST_IP" "$here/rig.sh" "$repo" "${XNVME_VM_VERBOSE:-0}" >"$root/etc/vm-init.conf"
	write_init "$root/init"
	{
		cat "$base"
		(cd "$root" && find . | cpio -o -H newc --quiet)
	} >"$out"
}

# ---------------------------------------------------------------------------------------------
# QEMU
# ---------------------------------------------------------------------------------------------

# Prints QEMU's arguments, one a line. $1 = run dir (images, shares), $2 = host TCP port.
qemu_args() {
	local run=$1 port=$2 id name ctrl nsid lbads ms mset pi zoned zsze mor mar size dev
	printf '%s\n' -name xnvme-vm -nodefaults -display none -no-reboot \
		-machine "$VM_MACHINE" -accel "$VM_ACCEL" -smp "$VM_SMP" -m "$VM_MEM" \
		-kernel "$VM_KDIR/boot/vmlinuz-$VM_KVER" -initrd "$run/initramfs.cpio" \
		-append "$VM_APPEND" -pidfile "$run/qemu.pid" \
		-device intel-iommu,intremap=on,caching-mode=on \
		-trace "enable=pci_nvme_mmio_shutdown_set,file=$run/results/qemu-trace.log" \
		-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$run/share,mount_tag=xvmrun,security_model=none" \
		-virtfs "local,path=$run/results,mount_tag=xvmres,security_model=none" \
		-netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$port-:$VM_TCP_PORT" \
		-device virtio-net-pci,netdev=n0,romfile=
	for id in "${ctrl_ids[@]}"; do
		printf '%s\n' -device "nvme,id=$id,serial=${c_serial[$id]},addr=0x${c_addr[$id]},mdts=7"
	done
	for name in "${ns_names[@]}"; do
		read -r _ ctrl nsid lbads ms mset pi zoned zsze mor mar size <<<"${ns_row[$name]}"
		truncate -s "${size}M" "$run/$name.img"
		dev="nvme-ns,drive=drv_$name,bus=$ctrl,nsid=$nsid"
		dev+=",logical_block_size=$lbads,physical_block_size=$lbads,ms=$ms,mset=$mset,pi=$pi"
		if ((zoned)); then
			dev+=",zoned=true,zoned.zone_size=${zsze}M,zoned.max_open=$mor,zoned.max_active=$mar,zoned.descr_ext_size=64"
		fi
		printf '%s\n' -drive "file=$run/$name.img,if=none,id=drv_$name,format=raw,cache=unsafe,discard=unmap" \
			-device "$dev"
	done
}

# A loopback TCP port nobody listens on (QEMU binds it; a race with another program is possible
# but harmless: QEMU then fails to start and says so).
free_port() {
	local -A used=()
	local sl laddr rest port
	for f in /proc/net/tcp /proc/net/tcp6; do
		[[ -r "$f" ]] || continue
		while read -r sl laddr rest; do
			[[ "$sl" == sl ]] || used[$((16#${laddr##*:}))]=1
		done <"$f"
	done
	for _ in {1..100}; do
		port=$((20000 + RANDOM % 40000))
		[[ -n "${used[$port]:-}" ]] || { echo "$port"; return 0; }
	done
	die "no free TCP port found"
}

# State of one boot, for the cleanup trap.
run_dir=""
bg_pids=()
cleanup() {
	local pid qpid=""
	[[ -n "$run_dir" && -s "$run_dir/qemu.pid" ]] && qpid=$(<"$run_dir/qemu.pid")
	for pid in "${bg_pids[@]}" $qpid; do
		kill "$pid" 2>/dev/null || true
	done
	if [[ -n "$qpid" ]]; then
		for _ in {1..10}; do
			kill -0 "$qpid" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$qpid" 2>/dev/null || true
	fi
	[[ -n "$run_dir" ]] && rm -rf "$run_dir"
	return 0
}

# Common to run and shell: cache, run dir, initramfs, QEMU arguments (in the array qargs).
prepare_boot() {
	local mode=$1 port=$2 results=$3
	command -v qemu-system-x86_64 >/dev/null ||
		die "qemu-system-x86_64 not found: run tests/vm/rig.sh fetch"
	kernel_cached || cmd_fetch
	kernel_cached || die "no kernel in the cache $cache"
	run_dir=$(mktemp -d "${TMPDIR:-/tmp}/xnvme-vm.XXXXXX")
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	mkdir -p "$run_dir/share/results"
	if [[ -n "$results" ]]; then
		mkdir -p "$results"
		ln -s "$(cd "$results" && pwd)" "$run_dir/results"
	else
		mkdir -p "$run_dir/results"
	fi
	echo "$port" >"$run_dir/results/tcp_port"
	printf 'XNVME_VM_TCP_HOST_PORT=%s\nXNVME_VM_REPO=%q\n' "$port" "$repo" >"$run_dir/share/vars"
	build_initramfs "$run_dir/initramfs.cpio" "$mode"
	mapfile -t qargs < <(qemu_args "$run_dir" "$port")
}

elapsed() { # seconds since $1 (an EPOCHREALTIME), one decimal
	local now=${EPOCHREALTIME/./} then=${1/./}
	local ds=$(((now - then) / 100000))
	echo "$((ds / 10)).$((ds % 10))"
}

verbose() { [[ "${XNVME_VM_VERBOSE:-0}" == 1 ]]; }

cmd_run() {
	local timeout=$VM_TIMEOUT port="" results=""
	local usage="rig.sh run [--timeout S] [--tcp-port PORT] [--results DIR] -- CMD [ARGS...]"
	while (($#)); do
		case $1 in
		--timeout) timeout=$2; shift 2 ;;
		--tcp-port) port=$2; shift 2 ;;
		--results) results=$2; shift 2 ;;
		--) shift; break ;;
		*) die "run: unknown option $1 (usage: $usage)" ;;
		esac
	done
	(($#)) || die "run: no command (usage: $usage)"
	local t0=$EPOCHREALTIME
	[[ -n "$port" ]] || port=$(free_port)
	prepare_boot run "$port" "$results"
	verbose && log "QEMU starts after $(elapsed "$t0") s"
	local share="$run_dir/share"
	{
		printf 'cd %q || exit 125\nexec' "$repo"
		printf ' %q' "$@"
		printf '\n'
	} >"$share/job.sh"
	: >"$share/stdout"
	: >"$share/stderr"
	: >"$run_dir/console.log"
	log "nvmet-tcp target: 127.0.0.1:$port on the host (guest port $VM_TCP_PORT)"

	timeout -k 5 "$timeout" qemu-system-x86_64 "${qargs[@]}" \
		-chardev "file,id=con,path=$run_dir/console.log" -serial chardev:con -monitor none \
		</dev/null >"$run_dir/qemu.out" 2>&1 &
	local tpid=$!
	bg_pids+=("$tpid")
	# The command's output, streamed while it runs; each tail ends once QEMU is gone, after a
	# last read.
	tail -c +1 -f --pid="$tpid" "$share/stdout" &
	bg_pids+=("$!")
	tail -c +1 -f --pid="$tpid" "$share/stderr" >&2 &
	bg_pids+=("$!")
	if verbose; then
		tail -c +1 -f --pid="$tpid" "$run_dir/console.log" >&2 &
		bg_pids+=("$!")
	fi
	(
		while kill -0 "$tpid" 2>/dev/null; do
			if [[ -s "$share/started" ]]; then
				log "command started after $(elapsed "$t0") s (guest uptime $(<"$share/started") s)"
				exit 0
			fi
			sleep 0.1
		done
	) &
	bg_pids+=("$!")

	local rc=0 pid
	wait "$tpid" || rc=$?
	for pid in "${bg_pids[@]:1}"; do wait "$pid" 2>/dev/null || true; done

	if ((rc == 124)); then
		log "timeout: QEMU killed after $timeout s; the guest console's end:"
		tail -n 30 "$run_dir/console.log" >&2
		exit 124
	fi
	if [[ -s "$share/status" ]]; then
		local status
		status=$(<"$share/status")
		echo "$status" >"$run_dir/results/status"
		log "command exited with status $status after $(elapsed "$t0") s"
		exit "$status"
	fi
	if [[ -s "$share/error" ]]; then
		log "guest setup failed: $(<"$share/error")"
	else
		log "the guest stopped without a command status (QEMU exit $rc)"
	fi
	[[ -s "$run_dir/qemu.out" ]] && { log "QEMU said:"; cat "$run_dir/qemu.out" >&2; }
	local first
	first=$(grep -n -m1 -E 'BUG:|Oops|general protection fault|invalid opcode|Kernel panic' "$run_dir/console.log" | cut -d: -f1 || true)
	if [[ -n "$first" ]]; then
		# oops=panic (guest.conf): the report's start says what crashed, its end only the panic
		log "the guest kernel crashed (oops=panic); the console from the first report:"
		tail -n "+$first" "$run_dir/console.log" | head -n 60 >&2
	elif ! verbose; then
		log "the guest console's end:"
		tail -n 40 "$run_dir/console.log" >&2
	fi
	exit 125
}

cmd_shell() {
	local port="" size
	while (($#)); do
		case $1 in
		--tcp-port) port=$2; shift 2 ;;
		*) die "shell: unknown option $1 (usage: rig.sh shell [--tcp-port PORT])" ;;
		esac
	done
	[[ -n "$port" ]] || port=$(free_port)
	prepare_boot shell "$port" ""
	size=$(stty size 2>/dev/null || echo "24 80")
	echo "XNVME_VM_TTY_SIZE='$size'" >>"$run_dir/share/vars"
	log "nvmet-tcp target: 127.0.0.1:$port on the host"
	log "booting; the shell starts in $repo. 'exit' powers the guest off, Ctrl-A X kills QEMU."
	qemu-system-x86_64 "${qargs[@]}" -serial mon:stdio || true
}

cmd_devices() {
	local name ctrl nsid lbads ms mset pi zoned zsze mor mar size fmt env
	printf '%-7s %-6s %-10s %-13s %-5s %-42s %s\n' NAME CTRL SERIAL BDF NSID FORMAT "GUEST ENV"
	for name in "${ns_names[@]}"; do
		read -r _ ctrl nsid lbads ms mset pi zoned zsze mor mar size <<<"${ns_row[$name]}"
		fmt="${lbads} B"
		if ((ms)); then
			((mset)) && fmt+=" + $ms B md (extended LBA)" || fmt+=" + $ms B md (separate)"
		fi
		((pi)) && fmt+=", PI type $pi"
		((zoned)) && fmt+=", zoned: ${zsze} MiB zones, mor $mor mar $mar"
		case ${c_role[$ctrl]} in
		vfio) env="XNVME_VM_VFIO_BDF (bound to vfio-pci)" ;;
		tcp) env="XNVME_VM_NS_$name (exported by nvmet-tcp)" ;;
		*) env="XNVME_VM_NS_$name XNVME_VM_NG_$name" ;;
		esac
		printf '%-7s %-6s %-10s %-13s %-5s %-42s %s\n' "$name" "$ctrl" "${c_serial[$ctrl]}" \
			"0000:00:${c_addr[$ctrl]}.0" "$nsid" "$fmt" "$env"
	done
	echo "nvmet-tcp: subsystem $VM_TCP_SUBNQN, port $VM_TCP_PORT in the guest" \
		"(XNVME_VM_TCP_TRADDR/TRSVCID/SUBNQN); 127.0.0.1:<port> on the host, printed by run"
}

# ---------------------------------------------------------------------------------------------
# The guest side: runs in the chroot as root, before the command. Builtins only where it loops
# (under TCG each program started costs tens of milliseconds).
# ---------------------------------------------------------------------------------------------
gshare=/tmp/xnvme-vm

guest_say() { # to the guest console (shown with XNVME_VM_VERBOSE=1 or when a run fails)
	local up
	read -r up _ </proc/uptime
	echo "vm-guest: [$up] $*" >&2
}

guest_fail() {
	echo "vm-guest: FAIL: $*" >&2
	echo "$*" >"$gshare/error"
	exit 125
}

# Fills found[name]="block char ctrl-dev" for each namespace of a non-vfio controller that is
# there, by the controller's serial and the nsid in sysfs (probe order decides the /dev names).
declare -A found=()
guest_scan() {
	local c b s nsid blk name ctrl key
	local -A by_key=()
	found=()
	for c in /sys/class/nvme/nvme*; do
		[[ -r "$c/serial" ]] || continue
		read -r s <"$c/serial"
		for b in "$c"/nvme*n*; do
			[[ -r "$b/nsid" ]] || continue
			read -r nsid <"$b/nsid"
			blk=${b##*/}
			# ngXnY: X is the controller instance, Y the namespace head instance (the disk's).
			by_key[$s/$nsid]="/dev/$blk /dev/ng${c##*/nvme}n${blk##*n} /dev/${c##*/}"
		done
	done
	for name in "${ns_names[@]}"; do
		read -r _ ctrl nsid _ <<<"${ns_row[$name]}"
		key=${c_serial[$ctrl]}/$nsid
		[[ -n "${by_key[$key]:-}" ]] && found[$name]=${by_key[$key]}
	done
	return 0
}

guest_wait_namespaces() {
	local name want=0 deadline=$((SECONDS + VM_DEV_WAIT))
	for name in "${ns_names[@]}"; do
		read -r _ ctrl _ <<<"${ns_row[$name]}"
		[[ "${c_role[$ctrl]}" == vfio ]] || want=$((want + 1))
	done
	while :; do
		guest_scan
		((${#found[@]} == want)) && return 0
		((SECONDS < deadline)) || break
		sleep 0.1
	done
	echo "vm-guest: ${#found[@]} of $want namespaces after $VM_DEV_WAIT s: ${!found[*]}" >&2
	ls -l /sys/class/nvme /sys/block >&2
	guest_fail "not every namespace appeared within $VM_DEV_WAIT s"
}

# Prints the env lines of the vfio controllers; checks they are bound and their group is there.
guest_vfio_env() {
	local id bdf g group="" name ctrl nsid
	for id in "${ctrl_ids[@]}"; do
		[[ "${c_role[$id]}" == vfio ]] || continue
		bdf="0000:00:${c_addr[$id]}.0"
		[[ -e "/sys/bus/pci/drivers/vfio-pci/$bdf" ]] || guest_fail "$bdf ($id) is not bound to vfio-pci"
		for g in /sys/kernel/iommu_groups/*/devices/"$bdf"; do
			g=${g%/devices/*}
			group=${g##*/}
		done
		[[ -n "$group" && -e "/dev/vfio/$group" ]] || guest_fail "no /dev/vfio/<group> for $bdf"
		echo "XNVME_VM_VFIO_BDF=$bdf"
		echo "XNVME_VM_VFIO_GROUP=/dev/vfio/$group"
		echo "XNVME_VM_VFIO_SERIAL=${c_serial[$id]}"
		for name in "${ns_names[@]}"; do
			read -r _ ctrl nsid _ <<<"${ns_row[$name]}"
			[[ "$ctrl" == "$id" ]] && echo "XNVME_VM_VFIO_NSID_$name=$nsid"
		done
	done
}

# nvmet over configfs: one subsystem open to any host, the tcp controllers' namespaces, one
# TCP port on all guest addresses (QEMU forwards the host's loopback port to it).
guest_setup_nvmet() {
	local cfg=/sys/kernel/config/nvmet sub name ctrl n=0 blk
	[[ -d "$cfg" ]] || guest_fail "$cfg missing: nvmet not loaded or configfs not mounted"
	sub="$cfg/subsystems/$VM_TCP_SUBNQN"
	mkdir "$sub" || guest_fail "nvmet: cannot create the subsystem"
	echo 1 >"$sub/attr_allow_any_host"
	for name in "${ns_names[@]}"; do
		read -r _ ctrl _ <<<"${ns_row[$name]}"
		[[ "${c_role[$ctrl]}" == tcp ]] || continue
		n=$((n + 1))
		read -r blk _ <<<"${found[$name]}"
		mkdir "$sub/namespaces/$n"
		echo "$blk" >"$sub/namespaces/$n/device_path"
		echo 1 >"$sub/namespaces/$n/enable" || guest_fail "nvmet: cannot enable namespace $blk"
	done
	((n > 0)) || guest_fail "nvmet: no namespace on a controller with role tcp"
	mkdir "$cfg/ports/1"
	echo tcp >"$cfg/ports/1/addr_trtype"
	echo ipv4 >"$cfg/ports/1/addr_adrfam"
	echo 0.0.0.0 >"$cfg/ports/1/addr_traddr"
	echo "$VM_TCP_PORT" >"$cfg/ports/1/addr_trsvcid"
	ln -s "$sub" "$cfg/ports/1/subsystems/$VM_TCP_SUBNQN" || guest_fail "nvmet: cannot enable the port"
}

guest_main() {
	local mode=$1 name blk ng cdev first="" env up rc=0
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export HOME=/root TMPDIR=/tmp LANG=C.UTF-8
	# shellcheck source=/dev/null
	. "$gshare/vars"
	guest_say "setup starts"
	guest_wait_namespaces
	guest_say "namespaces there"
	env="XNVME_VM=1
XNVME_VM_CONF=$conf
XNVME_VM_RESULTS=$gshare/results
XNVME_VM_TCP_HOST_PORT=$XNVME_VM_TCP_HOST_PORT
XNVME_VM_TCP_TRADDR=127.0.0.1
XNVME_VM_TCP_TRSVCID=$VM_TCP_PORT
XNVME_VM_TCP_SUBNQN=$VM_TCP_SUBNQN
"
	for name in "${ns_names[@]}"; do
		[[ -n "${found[$name]:-}" ]] || continue
		read -r blk ng cdev <<<"${found[$name]}"
		[[ -n "$first" ]] || { first=$cdev; env+="XNVME_VM_CTRL=$cdev"$'\n'; }
		env+="XNVME_VM_NS_$name=$blk"$'\n'"XNVME_VM_NG_$name=$ng"$'\n'"XNVME_VM_CTRL_$name=$cdev"$'\n'
	done
	env+=$(guest_vfio_env)$'\n'
	guest_setup_nvmet
	guest_say "vfio and nvmet set up"
	printf '%s' "$env" >"$gshare/results/env"
	set -a
	# shellcheck source=/dev/null
	. "$gshare/results/env"
	set +a
	cd "$XNVME_VM_REPO"
	if [[ "$mode" == shell ]]; then
		# shellcheck disable=SC2086 # "rows cols"
		stty rows ${XNVME_VM_TTY_SIZE% *} cols ${XNVME_VM_TTY_SIZE#* } 2>/dev/null || true
		echo "vm: guest shell in $PWD; the devices: env | grep XNVME_VM; 'exit' powers off"
		# --norc: the host's bashrc (bash-completion) takes many seconds under TCG.
		PS1='(xnvme-vm) \w# ' bash --norc -i || true
		return 0
	fi
	read -r up _ </proc/uptime
	echo "$up" >"$gshare/started"
	bash "$gshare/job.sh" >"$gshare/stdout" 2>"$gshare/stderr" || rc=$?
	echo "$rc" >"$gshare/status"
}

case ${1:-} in
fetch) shift; cmd_fetch "$@" ;;
run) shift; cmd_run "$@" ;;
shell) shift; cmd_shell "$@" ;;
devices) cmd_devices ;;
_guest) guest_main "$2" ;;
*)
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
