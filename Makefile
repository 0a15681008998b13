# The two commands of the README: `make run` and `make test`. Everything else is a helper of those.
BUILD ?= build
BUILD_SAN ?= build-san
BUILD_FIO ?= build-fio
BUILD_UP ?= build-upstream
# make bench's side by side with upstream xNVMe 0.7.5: its prefix, the harness built twice
BUILD_BENCH ?= build-bench
BUILD_BENCH_REL ?= build-bench-release
PREFIX ?= /usr/local
BUILD_REL ?= build-release
MESON_OPTS ?=
# The project's default build (meson.build) is what users install: release, -O3, LTO. The trees
# the tests use are built for development: debugoptimized (-O2 -g), no LTO (faster to build).
DEV_OPTS := --buildtype=debugoptimized -Db_lto=false

.PHONY: all deps build release run test test-unit test-upstream test-fio test-sanitize test-tsan test-configs install bench bench-vm bench-smoke fio-prefix clean format
.PHONY: fuzz-build test-fuzz fuzz test-deb test-windows bench-windows check-freebsd

all: build

deps:
	@./scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) -Dwerror=true $(DEV_OPTS) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD_REL)/build.ninja:
	meson setup $(BUILD_REL) -Dwerror=true --prefix=$(PREFIX) $(MESON_OPTS)

# The release build (the project's defaults: release, LTO), as `make install` installs it
release: deps $(BUILD_REL)/build.ninja
	ninja -C $(BUILD_REL)

# What the library does, in one screen (scripts/run.sh): on a ramdisk and a file it creates. It
# builds only the three programs it runs, in a tree of its own: release (-O3) without LTO, the
# shared library only. Measured from a fresh clone, the installed build's LTO and the static
# library's fat LTO objects took ~31 s of CPU for those programs against ~21 s without (a 2-core
# machine: ~5 s of the wall time), while the rates the run shows do not depend on them. The
# build's output goes to out/run/build.log.
BUILD_RUN ?= build-run
run: deps
	@./scripts/run.sh $(BUILD_RUN)

test: test-unit test-windows check-freebsd test-upstream test-fio test-vm bench-smoke

test-unit: build
	meson test -C $(BUILD) --print-errorlogs --num-processes 1 --no-suite vm
	@echo "soak figures (meson suite soak; the soak_detects_corruption runs must show mismatches):"
	@grep -h '^soak: .*mismatches=' $(BUILD)/meson-logs/testlog.txt || true

# The Windows build (docs/windows.md): cross-built with mingw-w64 in its own tree, its tests (meson
# suite windows: the IOCTL layouts, the tools and the example on files) run under Wine in a
# throw-away prefix
BUILD_WIN ?= build-win
test-windows: deps
	./tests/windows/run.sh $(BUILD_WIN)

# xnvme-perf of the Windows build under Wine on a file, every async interface (bench/windows.sh):
# Wine's figures, not Windows'
bench-windows: test-windows
	./bench/windows.sh $(BUILD_WIN)

# The FreeBSD build (docs/backends.md, "FreeBSD"): every source of it compiled, objects only,
# against FreeBSD 13.4's headers (../shared/freebsd-13.4-sysroot beside the repository, or
# FREEBSD_SYSROOT) with -Werror, in its own tree; a SKIP line without them
BUILD_FREEBSD ?= build-freebsd
check-freebsd: deps
	./scripts/check_freebsd.sh $(BUILD_FREEBSD)

# Conformance with xNVMe 0.7.5 (docs/conformance.md): its 33 examples, tests and tools built
# unmodified against a fresh install of the library in its own prefix and run the way its own test
# suite runs them; abi_probe.c and some of its programs built against its install run with ours.
# The failures not fixed yet are listed in tests/upstream/conformance_known.txt, which may only
# shrink. Without the xNVMe 0.7.5 corpus (meson option upstream_dir) it says SKIP.
test-upstream: deps
	[ -f $(BUILD_UP)/build.ninja ] || meson setup $(BUILD_UP) -Dwerror=true $(DEV_OPTS) \
		--prefix=$(CURDIR)/$(BUILD_UP)/prefix --libdir=lib $(MESON_OPTS)
	rm -rf $(BUILD_UP)/prefix
	ninja -C $(BUILD_UP) install >/dev/null
	python3 tests/upstream/conformance.py --build $(BUILD_UP) --prefix $(CURDIR)/$(BUILD_UP)/prefix \
		--work $(CURDIR)/$(BUILD_UP)/conformance --known tests/upstream/conformance_known.txt

# NVMe through the Linux driver, against QEMU's controller in the VM rig (tests/vm, docs/vm.md):
# the rig's own checks, then the NVMe suite with fio's engine, then NVMe/TCP against the guest's
# nvmet-tcp. XNVME_SKIP_VM=1 skips explicitly.
test-vm: build test-fio
	meson test -C $(BUILD) --print-errorlogs --num-processes 1 --suite vm
	./tests/nvme/run_in_vm.sh $(BUILD) $(CURDIR)/$(BUILD_FIO)/prefix
	# NVMe/TCP from the host to the guest's nvmet-tcp, and the kernel's initiator beside ours
	./tests/tcp/vm_tcp.sh $(BUILD) $(CURDIR)/$(BUILD_FIO)/prefix
	# The 4K namespace's controller removed under load (tests/faults): a guest of its own
	[ "$${XNVME_SKIP_VM:-0}" = 1 ] || ./tests/vm/rig.sh run --timeout 600 -- tests/faults/faults.sh $(BUILD) remove

# Benchmarks (bench/, docs/bench.md): xnvme against fio's t/io_uring and fio's io_uring engine,
# medians of interleaved runs on one core; a report in out/bench. bench-smoke (part of make test)
# runs each figure once, briefly, and checks the report is complete: it never asserts a speed. It
# uses the fio test-fio built (so make test builds fio once). With upstream xNVMe 0.7.5's prebuilt
# library beside the repository (../shared/upstream-xnvme-0.7.5, or UPSTREAM_DIR), both also put
# us side by side with it: a neutral harness and fio's xnvme engine built against each library
# (the upstream prefix and the harness in $(BUILD_BENCH), fio in its own folder of .cache/fio).
# make bench measures what users install: the release build (the project's defaults: -O3, LTO),
# installed in its own prefix ($(BUILD_BENCH_REL)); fio and the harness are built against it.
# -g too (the same code): callgrind attributes the driver's instructions by source file.
# bench-smoke only checks the report, on the development trees make test builds anyway.
bench: fio-prefix
	BENCH_BUILD=$(CURDIR)/$(BUILD_BENCH) ./bench/run.sh $(BUILD_BENCH_REL) $(CURDIR)/$(BUILD_BENCH_REL)/prefix out/bench $(BENCH_OPTS)

bench-vm: fio-prefix
	BENCH_BUILD=$(CURDIR)/$(BUILD_BENCH) ./bench/run.sh $(BUILD_BENCH_REL) $(CURDIR)/$(BUILD_BENCH_REL)/prefix out/bench --vm $(BENCH_OPTS)

bench-smoke: build test-fio
	BENCH_BUILD=$(CURDIR)/$(BUILD_BENCH) ./bench/run.sh $(BUILD) $(CURDIR)/$(BUILD_FIO)/prefix out/bench-smoke --smoke

fio-prefix: deps
	[ -f $(BUILD_BENCH_REL)/build.ninja ] || meson setup $(BUILD_BENCH_REL) -Dwerror=true \
		-Ddebug=true --prefix=$(CURDIR)/$(BUILD_BENCH_REL)/prefix --libdir=lib $(MESON_OPTS)
	rm -rf $(BUILD_BENCH_REL)/prefix
	ninja -C $(BUILD_BENCH_REL) install >/dev/null

# fio's xnvme engine, unmodified, built against a fresh install of the library in its own prefix.
test-fio: deps
	[ -f $(BUILD_FIO)/build.ninja ] || meson setup $(BUILD_FIO) -Dwerror=true $(DEV_OPTS) \
		--prefix=$(CURDIR)/$(BUILD_FIO)/prefix --libdir=lib $(MESON_OPTS)
	rm -rf $(BUILD_FIO)/prefix
	ninja -C $(BUILD_FIO) install >/dev/null
	./tests/fio/fio_test.sh $(CURDIR)/$(BUILD_FIO)/prefix $(CURDIR)/$(BUILD_FIO)/scratch

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer: the meson suite, and
# fio's xnvme engine on the sanitized library (fio itself is not instrumented; the runtimes are
# preloaded into its runs). Two cuts (docs/testing.md, "CI time"), each kept whole in make test:
# - the transfer matrices run pairwise (XFER_MATRIX, tests/target/test_xfer_matrix.c): every
#   interface writes and reads at every queue depth and direct setting, and every writer meets
#   every reader, at one setting instead of all;
# - not the suite text (man_completion): it checks the text the tools print (man pages, --help,
#   bash completion), the same in any build; the sanitized build still runs every tool's and
#   every command's --help when it renders the man pages (scripts/gen_man.py), and the suite cli
#   runs the tools under the sanitizers.
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
test-sanitize: deps
	[ -f $(BUILD_SAN)/build.ninja ] || meson setup $(BUILD_SAN) -Dwerror=true \
		-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug -Db_lto=false \
		--prefix=$(CURDIR)/$(BUILD_SAN)/prefix --libdir=lib $(MESON_OPTS)
	ninja -C $(BUILD_SAN)
	$(SAN_ENV) XFER_MATRIX=pairwise meson test -C $(BUILD_SAN) --print-errorlogs --num-processes 1 \
		--timeout-multiplier 4 --no-suite vm --no-suite text
	rm -rf $(BUILD_SAN)/prefix
	ninja -C $(BUILD_SAN) install >/dev/null
	$(SAN_ENV) ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
		XNVME_FIO_PRELOAD="$$(gcc -print-file-name=libasan.so):$$(gcc -print-file-name=libubsan.so)" \
		./tests/fio/fio_test.sh $(CURDIR)/$(BUILD_SAN)/prefix $(CURDIR)/$(BUILD_SAN)/fio-scratch

# The threaded paths under ThreadSanitizer: thrpool, completion fds, queues handed between
# threads, one handle shared by threads, the ramdisk's controller lock, xnvme_perf --threads,
# the soak, the user-space driver with the model's device thread.
# Any data race fails the run (halt_on_error). POSIX AIO is left out of this build's interface
# lists: glibc runs it in threads TSan never sees start (tests/target/ifaces.h).
BUILD_TSAN ?= build-tsan
TSAN_TESTS = async_ifaces async_ifaces_cfd ctrl mem queue_threads_file \
	queue_threads_loop shared_handle_file shared_handle_loop shared_handle_ramdisk \
	zns_ramdisk_thrpool model_ramdisk ramdisk_life ramdisk_async_thrpool ramdisk_async_emu cli_perf \
	soak_file soak_ramdisk soak_ramdisk_zns ramdisk_errinj \
	pcie_model shared_handle_pcie_inline shared_handle_pcie_thread pcie_fault_reset_sync \
	pcie_fault_hold_thread pcie_fault_cfs_thread zns_pcie_sgl_thread kvs_pcie_sgl_thread
# The NVMe/TCP test target's threads: one a connection, the acceptor, stop and keep-alive
TSAN_TESTS += tcp_target_basic tcp_target_r2t tcp_target_faults tcp_target_kato tcp_target_stop \
	tcp_target_errors tcp_target_garbage
# The initiator's threads: the keep-alive thread beside the I/O, the admin lock, the target's
TSAN_TESTS += tcp_initiator_keepalive tcp_initiator_lost tcp_initiator_faults
test-tsan: deps
	[ -f $(BUILD_TSAN)/build.ninja ] || meson setup $(BUILD_TSAN) -Dwerror=true \
		-Db_sanitize=thread -Db_lundef=false -Dbuildtype=debug -Db_lto=false $(MESON_OPTS)
	ninja -C $(BUILD_TSAN)
	TSAN_OPTIONS=halt_on_error=1:abort_on_error=1:second_deadlock_stack=1 meson test \
		-C $(BUILD_TSAN) --print-errorlogs --num-processes 1 --timeout-multiplier 4 $(TSAN_TESTS)

# The builds a user may configure besides the default (docs/architecture.md, "Adding a backend"):
# the ramdisk alone (no Linux backend), Linux without liburing and libaio, and (its unit and pcie
# suites only) the user-space driver without its in-memory model. Each builds with
# -Werror and passes its tests outside the VM (what it lacks is not defined or a visible SKIP).
# Their transfer matrices (the first two builds') run pairwise (XFER_MATRIX, as in test-sanitize):
# every interface of the configuration writes and reads at every queue depth and direct setting
# and meets every other; the full product runs in make test on the default configuration.
test-configs: deps
	[ -f build-cfg-be_linux-disabled/build.ninja ] || \
		meson setup build-cfg-be_linux-disabled -Dwerror=true $(DEV_OPTS) -Dbe_linux=disabled >/dev/null
	ninja -C build-cfg-be_linux-disabled
	XFER_MATRIX=pairwise meson test -C build-cfg-be_linux-disabled --print-errorlogs \
		--num-processes 1 --no-suite vm
	# Without liburing and libaio only the host's interfaces change: the suites that run them
	# (the user-space driver, NVMe/TCP and the ramdisk's own suites do not touch them)
	[ -f build-cfg-io_uring-disabled-libaio-disabled/build.ninja ] || \
		meson setup build-cfg-io_uring-disabled-libaio-disabled -Dwerror=true $(DEV_OPTS) \
		-Dio_uring=disabled -Dlibaio=disabled >/dev/null
	ninja -C build-cfg-io_uring-disabled-libaio-disabled
	XFER_MATRIX=pairwise meson test -C build-cfg-io_uring-disabled-libaio-disabled --print-errorlogs \
		--num-processes 1 --suite unit --suite target --suite cli --suite faults_host --suite soak --suite python
	# The user-space driver without its model (no ramdisk backend): it builds, its unit tests
	# pass, and a pcie-model: identifier is refused with the reason
	[ -f build-cfg-be_ramdisk-disabled/build.ninja ] || \
		meson setup build-cfg-be_ramdisk-disabled -Dwerror=true $(DEV_OPTS) -Dbe_ramdisk=disabled >/dev/null
	ninja -C build-cfg-be_ramdisk-disabled
	meson test -C build-cfg-be_ramdisk-disabled --print-errorlogs --num-processes 1 --suite unit \
		--suite pcie

# The soak (tests/soak, docs/testing.md "Soak"): threads with a queue each on one device handle,
# random read/write/write zeroes/deallocate/compare checked against a shadow map, SOAK_SECONDS in
# all over a file, a loop device and three ramdisks (one zoned). make test runs a ~30 s version
# (meson suite soak).
SOAK_SECONDS ?= 300
.PHONY: soak
soak: build
	./tests/soak/soak.sh $(BUILD) $(SOAK_SECONDS) $(SOAK_OPTS)

# libFuzzer targets (tests/fuzz, docs/testing.md "Fuzzing"), built with clang, ASan and UBSan in
# their own build dir. test-fuzz (CI): each target FUZZ_CI_SECONDS from the committed seed corpus;
# fuzz: each FUZZ_SECONDS, growing its corpus in .cache/fuzz (git-ignored). Either fails on a
# crash, a leak, a sanitizer error or a run over 10 s, and prints the executions per target.
BUILD_FUZZ ?= build-fuzz
FUZZ_CI_SECONDS ?= 30
FUZZ_SECONDS ?= 600
FUZZ_TARGETS = fuzz_ident fuzz_cli fuzz_pr fuzz_ramdisk_cmd fuzz_tcp_pdu
fuzz-build: deps
	[ -f $(BUILD_FUZZ)/build.ninja ] || CC=clang meson setup $(BUILD_FUZZ) -Dwerror=true -Dfuzz=true $(DEV_OPTS) \
		-Db_sanitize=address,undefined -Db_lundef=false $(MESON_OPTS)
	ninja -C $(BUILD_FUZZ) $(addprefix tests/fuzz/,$(FUZZ_TARGETS))

test-fuzz: fuzz-build
	./tests/fuzz/run.sh $(BUILD_FUZZ) $(FUZZ_CI_SECONDS) ci

fuzz: fuzz-build
	./tests/fuzz/run.sh $(BUILD_FUZZ) $(FUZZ_SECONDS) long

# The Debian packages (debian/, tests/deb/test_deb.sh): built with dpkg-buildpackage from the
# tracked files in out/deb, lintian without errors, installed, tried (pkg-config, an example,
# the tools, man pages, python3), purged; the machine is left as it was. Root (or sudo).
test-deb: deps
	./tests/deb/test_deb.sh out/deb

install: deps $(BUILD_REL)/build.ninja
	meson configure -Dprefix=$(PREFIX) $(BUILD_REL)
	ninja -C $(BUILD_REL) install

clean:
	rm -rf $(BUILD) $(BUILD_REL) $(BUILD_RUN) $(BUILD_SAN) $(BUILD_TSAN) $(BUILD_FIO) $(BUILD_BENCH_REL) $(BUILD_UP) \
		$(BUILD_BENCH) build-cfg-* $(BUILD_FUZZ)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')
