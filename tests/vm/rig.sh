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

# The rows of one of guest.conf's multi-line tables, without comments and blank lines.
rows() { printf '%s\n' "$1" | sed -e 's/#.*//' -e '/^[[:space:]]*$/d'; }

# A controller's column by id: ctrl_field nvme0 serial|addr|role
ctrl_field() {
	local id serial addr role
	while read -r id serial addr role; do
		[[ "$id" == "$1" ]] || continue
		case $2 in
		serial) echo "$serial" ;;
		addr) echo "$addr" ;;
		role) echo "$role" ;;
		esac
		return 0
	done < <(rows "$VM_CONTROLLERS")
	return 1
}

# ---------------------------------------------------------------------------------------------
# fetch: host packages and the kernel cache
# ---------------------------------------------------------------------------------------------
cache=${XNVME_VM_CACHE:-$repo/.cache/vm}
host_packages=(qemu-system-x86 busybox-static nvme-cli cpio)

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

# apt-get download into the current directory, updating the package lists once if needed.
apt_download() {
	apt-get download -q -o APT::Sandbox::User=root "$1" >/dev/null 2>&1 && return 0
	apt_update_once
	apt-get download -q -o APT::Sandbox::User=root "$1" >/dev/null ||
		die "apt-get download $1 failed: Debian's archive is not reachable"
}

# Loads kernel.env (VM_KVER, VM_KDIR) when the cache is complete.
kernel_cached() {
	[[ -f "$cache/kernel.env" ]] || return 1
	# shellcheck source=/dev/null
	. "$cache/kernel.env"
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
	(cd "$dl" && apt_download linux-image-amd64)
	meta=$(echo "$dl"/linux-image-amd64_*.deb)
	# Depends: linux-image-6.1.0-NN-amd64 (= ...): the versioned package of the day.
	dep=$(dpkg-deb -f "$meta" Depends)
	pkg=${dep%%[ ,|]*}
	[[ "$pkg" =~ ^linux-image-[0-9].*-amd64$ ]] || die "unexpected Depends of linux-image-amd64: '$dep'"
	log "linux-image-amd64 depends on $pkg; downloading it"
	(cd "$dl" && apt_download "$pkg")
	rm -rf "$dl/x"
	dpkg -x "$dl/$pkg"_*.deb "$dl/x"
	ver=$(cd "$dl/x/boot" && echo vmlinuz-*)
	ver=${ver#vmlinuz-}
	[[ -f "$dl/x/boot/vmlinuz-$ver" && -d "$dl/x/lib/modules/$ver/kernel" ]] ||
		die "$pkg holds no kernel + modules where expected"
	rm -rf "$cache/kernel-$ver" "$cache/kernel.env"
	mv "$dl/x" "$cache/kernel-$ver"
	# Written last: its presence means the cache is complete.
	printf 'VM_KPKG=%q\nVM_KVER=%q\nVM_KDIR=%q\n' "$pkg" "$ver" "$cache/kernel-$ver" >"$cache/kernel.env"
	# Older kernels are not needed any more.
	find "$cache" -maxdepth 1 -name 'kernel-*' ! -name "kernel-$ver" -exec rm -rf {} +
	rm -rf "$dl"
	trap - EXIT
	log "cached kernel $ver ($pkg) in $cache/kernel-$ver"
}

# ---------------------------------------------------------------------------------------------
# The initramfs: busybox, the modules, and an init that mounts the shares and chroots
# ---------------------------------------------------------------------------------------------

# Writes the module files, in load order, into $1/lib/modules and their list into $1/etc/modules.
# Checks each module's depends= against the order, so a bad list fails here and not in the guest.
stage_modules() {
	local root=$1 mdir="$VM_KDIR/lib/modules/$VM_KVER/kernel" f n m key deps d
	local -A path=() loaded=()
	while IFS= read -r f; do
		n=${f##*/}
		n=${n%%.ko*}
		path[${n//-/_}]=$f
	done < <(find "$mdir" -name '*.ko*')
	mkdir -p "$root/lib/modules"
	: >"$root/etc/modules"
	for m in $(rows "$VM_MODULES"); do
		key=${m//-/_}
		f=${path[$key]:-}
		[[ -n "$f" ]] || die "module $m (guest.conf VM_MODULES) is not in kernel $VM_KVER"
		case $f in
		*.ko) cp "$f" "$root/lib/modules/$key.ko" ;;
		*.ko.xz) xz -dc "$f" >"$root/lib/modules/$key.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$root/lib/modules/$key.ko" ;;
		*) die "module $f: unknown compression" ;;
		esac
		deps=$(tr '\0' '\n' <"$root/lib/modules/$key.ko" | sed -n 's/^depends=//p' | head -n1)
		for d in ${deps//,/ }; do
			[[ -n "${loaded[${d//-/_}]:-}" ]] ||
				die "module $m needs $d first: fix the order of VM_MODULES in guest.conf"
		done
		loaded[$key]=1
		echo "$m $key.ko" >>"$root/etc/modules"
	done
}

# PID 1 of the guest (busybox sh). Settings come from /etc/vm-init.conf.
write_init() {
	cat >"$1" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
. /etc/vm-init.conf

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

while read -r name file; do
	insmod "/lib/modules/$file" || fail "insmod $name ($file) failed"
done </etc/modules

mkdir -p /lower /rw /host /share
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose host /lower ||
	fail "cannot mount the host's root (9p tag host)"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 xvmrun /share ||
	fail "cannot mount the run share (9p tag xvmrun)"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 xvmres /share/results ||
	fail "cannot mount the results share (9p tag xvmres)"
# The host's root, made writable by a throw-away layer in guest memory: tests may write
# anywhere (the build tree, /var/tmp), nothing reaches the host but the shares.
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
mount -t tmpfs -o mode=1777 tmpfs /host/tmp
mount -t tmpfs -o mode=0755 tmpfs /host/run
mkdir -p /host/tmp/xnvme-vm
mount -o rbind /share /host/tmp/xnvme-vm

ip link set lo up
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
ip link set eth0 up && ip addr add "$GUEST_IP/24" dev eth0 || fail "cannot configure eth0"

if [ "$MODE" = shell ]; then
	setsid cttyhack chroot /host /bin/bash "$RIG" _guest shell
else
	chroot /host /bin/bash "$RIG" _guest run </dev/null
fi
sync
poweroff -f
EOF
	chmod 755 "$1"
}

build_initramfs() {
	local out=$1 mode=$2 root vfio="" id serial addr role
	root=$(dirname "$out")/initramfs
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev}
	cp /bin/busybox "$root/bin/busybox"
	stage_modules "$root"
	while read -r id serial addr role; do
		[[ "$role" == vfio ]] && vfio+="0000:00:$addr.0 "
	done < <(rows "$VM_CONTROLLERS")
	printf 'MODE=%s\nVFIO_BDFS="%s"\nGUEST_IP=%s\nRIG=%s\n' \
		"$mode" "$vfio" "$VM_GUEST_IP" "$here/rig.sh" >"$root/etc/vm-init.conf"
	write_init "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet) >"$out"
}

# ---------------------------------------------------------------------------------------------
# QEMU
# ---------------------------------------------------------------------------------------------

# Prints QEMU's arguments, one a line. $1 = run dir (images, shares), $2 = host TCP port.
qemu_args() {
	local run=$1 port=$2 id serial addr role name ctrl nsid lbads ms mset pi zoned zsze mor mar size
	printf '%s\n' -name xnvme-vm -nodefaults -display none -no-reboot \
		-machine "$VM_MACHINE" -accel "$VM_ACCEL" -smp "$VM_SMP" -m "$VM_MEM" \
		-kernel "$VM_KDIR/boot/vmlinuz-$VM_KVER" -initrd "$run/initramfs.cpio" \
		-append "$VM_APPEND" -pidfile "$run/qemu.pid" \
		-device intel-iommu,intremap=on,caching-mode=on \
		-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$run/share,mount_tag=xvmrun,security_model=none" \
		-virtfs "local,path=$run/results,mount_tag=xvmres,security_model=none" \
		-netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$port-:$VM_TCP_PORT" \
		-device virtio-net-pci,netdev=n0,romfile=
	while read -r id serial addr role; do
		printf '%s\n' -device "nvme,id=$id,serial=$serial,addr=0x$addr,mdts=7"
	done < <(rows "$VM_CONTROLLERS")
	while read -r name ctrl nsid lbads ms mset pi zoned zsze mor mar size; do
		truncate -s "${size}M" "$run/$name.img"
		local dev="nvme-ns,drive=$name,bus=$ctrl,nsid=$nsid"
		dev+=",logical_block_size=$lbads,physical_block_size=$lbads,ms=$ms,mset=$mset,pi=$pi"
		if ((zoned)); then
			dev+=",zoned=true,zoned.zone_size=${zsze}M,zoned.max_open=$mor,zoned.max_active=$mar"
		fi
		printf '%s\n' -drive "file=$run/$name.img,if=none,id=$name,format=raw,cache=unsafe" \
			-device "$dev"
	done < <(rows "$VM_NAMESPACES")
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# State of one boot, for the cleanup trap.
run_dir=""
bg_pids=()
cleanup() {
	local pid qpid=""
	[[ -n "$run_dir" && -f "$run_dir/qemu.pid" ]] && qpid=$(<"$run_dir/qemu.pid")
	for pid in "${bg_pids[@]}" $qpid; do
		kill "$pid" 2>/dev/null || true
	done
	if [[ -n "$qpid" ]]; then
		for _ in 1 2 3 4 5 6 7 8 9 10; do
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

cmd_run() {
	local timeout=$VM_TIMEOUT port="" results=""
	while (($#)); do
		case $1 in
		--timeout) timeout=$2; shift 2 ;;
		--tcp-port) port=$2; shift 2 ;;
		--results) results=$2; shift 2 ;;
		--) shift; break ;;
		*) die "run: unknown option $1 (usage: rig.sh run [--timeout S] [--tcp-port P] [--results DIR] -- CMD...)" ;;
		esac
	done
	(($#)) || die "run: no command (usage: rig.sh run [options] -- CMD [ARGS...])"
	[[ -n "$port" ]] || port=$(free_port)
	local t0=$EPOCHREALTIME
	prepare_boot run "$port" "$results"
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
	tail -c +1 -f --pid="$tpid" "$share/stdout" &
	bg_pids+=("$!")
	tail -c +1 -f --pid="$tpid" "$share/stderr" >&2 &
	bg_pids+=("$!")
	if [[ "${XNVME_VM_VERBOSE:-0}" == 1 ]]; then
		tail -c +1 -f --pid="$tpid" "$run_dir/console.log" >&2 &
		bg_pids+=("$!")
	fi
	(
		while kill -0 "$tpid" 2>/dev/null; do
			if [[ -s "$share/started" ]]; then
				log "command started after $(elapsed "$t0") s (guest uptime $(cut -d' ' -f1 "$share/started") s)"
				exit 0
			fi
			sleep 0.1
		done
	) &
	bg_pids+=("$!")

	local rc=0
	wait "$tpid" || rc=$?
	# Let the tails drain what is left (they stop by themselves once QEMU is gone).
	local pid
	for pid in "${bg_pids[@]:1}"; do wait "$pid" 2>/dev/null || true; done

	if ((rc == 124)); then
		log "timeout: QEMU killed after ${timeout} s; the guest console's end:"
		tail -n 30 "$run_dir/console.log" >&2
		exit 124
	fi
	if [[ -s "$share/status" ]]; then
		local status
		status=$(<"$share/status")
		cp "$share/status" "$run_dir/results/status"
		log "command exited with status $status after $(elapsed "$t0") s"
		exit "$status"
	fi
	if [[ -s "$share/error" ]]; then
		log "guest setup failed: $(<"$share/error")"
	else
		log "the guest stopped without a command status (QEMU exit $rc)"
	fi
	[[ -s "$run_dir/qemu.out" ]] && { log "QEMU said:"; cat "$run_dir/qemu.out" >&2; }
	log "the guest console's end:"
	tail -n 40 "$run_dir/console.log" >&2
	exit 125
}

cmd_shell() {
	local port=""
	while (($#)); do
		case $1 in
		--tcp-port) port=$2; shift 2 ;;
		*) die "shell: unknown option $1" ;;
		esac
	done
	[[ -n "$port" ]] || port=$(free_port)
	prepare_boot shell "$port" ""
	local rows_cols
	rows_cols=$(stty size 2>/dev/null || echo "24 80")
	echo "XNVME_VM_TTY_SIZE='$rows_cols'" >>"$run_dir/share/vars"
	log "booting; the shell starts in the repo root. 'exit' powers the guest off, Ctrl-A X kills QEMU."
	log "nvmet-tcp target: 127.0.0.1:$port on the host"
	qemu-system-x86_64 "${qargs[@]}" -serial mon:stdio || true
}

cmd_devices() {
	local id serial addr role name ctrl nsid lbads ms mset pi zoned zsze mor mar size fmt
	printf '%-10s %-6s %-10s %-13s %-5s %-44s %s\n' NAME CTRL SERIAL BDF NSID FORMAT "GUEST ENV"
	while read -r name ctrl nsid lbads ms mset pi zoned zsze mor mar size; do
		serial=$(ctrl_field "$ctrl" serial)
		addr=$(ctrl_field "$ctrl" addr)
		role=$(ctrl_field "$ctrl" role)
		fmt="lba ${lbads}B"
		((ms)) && fmt+=" + ${ms}B md ($( ((mset)) && echo extended || echo separate))"
		((pi)) && fmt+=" PI type $pi"
		((zoned)) && fmt+=" zoned ${zsze}MiB zones mor $mor mar $mar"
		case $role in
		vfio) env="XNVME_VM_VFIO_BDF (vfio-pci)" ;;
		tcp) env="XNVME_VM_NS_$name (exported over nvmet-tcp)" ;;
		*) env="XNVME_VM_NS_$name XNVME_VM_NG_$name" ;;
		esac
		printf '%-10s %-6s %-10s %-13s %-5s %-44s %s\n' "$name" "$ctrl" "$serial" \
			"0000:00:$addr.0" "$nsid" "$fmt" "$env"
	done < <(rows "$VM_NAMESPACES")
	echo "nvmet-tcp: subsystem $VM_TCP_SUBNQN on $VM_TCP_PORT in the guest," \
		"127.0.0.1:<host port> on the host (rig.sh run prints it)"
}

# ---------------------------------------------------------------------------------------------
# The guest side: runs in the chroot (bash from the host's root), as root, before the command.
# ---------------------------------------------------------------------------------------------
share=/tmp/xnvme-vm

guest_fail() {
	echo "vm-guest: FAIL: $*" >&2
	echo "$*" >"$share/error"
	exit 125
}

# Prints "name block char" for every namespace of a non-vfio controller, found by the
# controller's serial and the nsid in sysfs (probe order decides the /dev names).
guest_resolve() {
	local name ctrl nsid rest serial b c cserial blk
	while read -r name ctrl nsid rest; do
		[[ "$(ctrl_field "$ctrl" role)" == vfio ]] && continue
		serial=$(ctrl_field "$ctrl" serial)
		for b in /sys/block/nvme*n*; do
			[[ -e "$b/nsid" && "$(<"$b/nsid")" == "$nsid" ]] || continue
			c=$(basename "$(readlink -f "$b/device")")
			cserial=$(<"/sys/class/nvme/$c/serial")
			[[ "${cserial%% *}" == "$serial" ]] || continue
			blk=${b##*/}
			# ngXnY: X is the controller instance, Y the namespace head instance (the disk's).
			echo "$name /dev/$blk /dev/ng${c#nvme}n${blk##*n} /dev/$c $ctrl"
			break
		done
	done < <(rows "$VM_NAMESPACES")
}

guest_wait_namespaces() {
	local want found deadline=$((SECONDS + VM_DEV_WAIT)) name ctrl rest
	want=$(rows "$VM_NAMESPACES" | while read -r name ctrl rest; do
		[[ "$(ctrl_field "$ctrl" role)" == vfio ]] || echo "$name"
	done | wc -l)
	while :; do
		found=$(guest_resolve | wc -l)
		((found == want)) && return 0
		((SECONDS < deadline)) || break
		sleep 0.2
	done
	echo "vm-guest: found $found of $want namespaces:" >&2
	guest_resolve >&2
	ls -l /sys/block >&2
	guest_fail "not every namespace appeared within $VM_DEV_WAIT s"
}

guest_setup_vfio() {
	local id serial addr role bdf group
	while read -r id serial addr role; do
		[[ "$role" == vfio ]] || continue
		bdf="0000:00:$addr.0"
		[[ "$(basename "$(readlink -f "/sys/bus/pci/devices/$bdf/driver")")" == vfio-pci ]] ||
			guest_fail "$bdf ($id) is not bound to vfio-pci"
		group=$(basename "$(readlink -f "/sys/bus/pci/devices/$bdf/iommu_group")")
		[[ -e "/dev/vfio/$group" ]] || guest_fail "/dev/vfio/$group missing for $bdf"
		echo "XNVME_VM_VFIO_BDF=$bdf"
		echo "XNVME_VM_VFIO_GROUP=/dev/vfio/$group"
		echo "XNVME_VM_VFIO_SERIAL=$serial"
	done < <(rows "$VM_CONTROLLERS")
}

# nvmet over configfs: one subsystem, any host, the tcp controller's namespaces, one tcp port.
guest_setup_nvmet() {
	local cfg=/sys/kernel/config/nvmet sub name dev ng cdev ctrl n=0
	[[ -d "$cfg" ]] || guest_fail "$cfg missing: nvmet not loaded or configfs not mounted"
	sub="$cfg/subsystems/$VM_TCP_SUBNQN"
	mkdir "$sub"
	echo 1 >"$sub/attr_allow_any_host"
	while read -r name dev ng cdev ctrl; do
		[[ "$(ctrl_field "$ctrl" role)" == tcp ]] || continue
		n=$((n + 1))
		mkdir "$sub/namespaces/$n"
		echo "$dev" >"$sub/namespaces/$n/device_path"
		echo 1 >"$sub/namespaces/$n/enable" || guest_fail "nvmet: cannot enable namespace $dev"
	done < <(guest_resolve)
	((n > 0)) || guest_fail "nvmet: no namespace of a tcp controller to export"
	mkdir "$cfg/ports/1"
	echo tcp >"$cfg/ports/1/addr_trtype"
	echo ipv4 >"$cfg/ports/1/addr_adrfam"
	echo 0.0.0.0 >"$cfg/ports/1/addr_traddr"
	echo "$VM_TCP_PORT" >"$cfg/ports/1/addr_trsvcid"
	ln -s "$sub" "$cfg/ports/1/subsystems/$VM_TCP_SUBNQN" || guest_fail "nvmet: cannot enable port"
}

guest_main() {
	local mode=$1 name blk ng cdev ctrl first_ctrl=""
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export HOME=/root TMPDIR=/tmp LANG=C.UTF-8
	# shellcheck source=/dev/null
	. "$share/vars"
	guest_wait_namespaces
	{
		echo "XNVME_VM=1"
		echo "XNVME_VM_CONF=$conf"
		echo "XNVME_VM_RESULTS=$share/results"
		echo "XNVME_VM_TCP_HOST_PORT=$XNVME_VM_TCP_HOST_PORT"
		while read -r name blk ng cdev ctrl; do
			[[ -n "$first_ctrl" ]] || { first_ctrl=$cdev; echo "XNVME_VM_CTRL=$cdev"; }
			echo "XNVME_VM_NS_$name=$blk"
			echo "XNVME_VM_NG_$name=$ng"
			echo "XNVME_VM_CTRL_$name=$cdev"
		done < <(guest_resolve)
		guest_setup_vfio
		echo "XNVME_VM_TCP_TRADDR=127.0.0.1"
		echo "XNVME_VM_TCP_TRSVCID=$VM_TCP_PORT"
		echo "XNVME_VM_TCP_SUBNQN=$VM_TCP_SUBNQN"
	} >"$share/env" || exit 125
	guest_setup_nvmet
	cp "$share/env" "$share/results/env"
	set -a
	# shellcheck source=/dev/null
	. "$share/env"
	set +a
	cd "$XNVME_VM_REPO"
	if [[ "$mode" == shell ]]; then
		# shellcheck disable=SC2086 # "rows cols"
		stty rows ${XNVME_VM_TTY_SIZE% *} cols ${XNVME_VM_TTY_SIZE#* } 2>/dev/null || true
		echo "vm: guest shell in $PWD; devices: env | grep XNVME_VM; 'exit' powers off"
		bash -i
		return 0
	fi
	cut -d' ' -f1 /proc/uptime >"$share/started"
	local rc=0
	bash "$share/job.sh" >"$share/stdout" 2>"$share/stderr" || rc=$?
	echo "$rc" >"$share/status"
	sync
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
