"""ctypes mirrors of the public C structures (include/*.h, xNVMe 0.7.5's layouts).

Each class has the size and field offsets of its C struct; tests/test_layout.py proves it field by
field against a C program compiled from the headers. Anonymous C members are ctypes members named
`_u` / `_bits` and listed in `_anonymous_`, so `cpl.status.sc` reads as it does in C. The member C
calls `async` is `async_` here (a Python keyword).
"""
import ctypes
from ctypes import (
    Structure,
    Union,
    c_char,
    c_char_p,
    c_uint8,
    c_uint16,
    c_uint32,
    c_uint64,
    c_void_p,
)

GEO_UNKNOWN, GEO_CONVENTIONAL, GEO_ZONED, GEO_KV = 0, 1, 2, 3


def _bits(name, ctype, fields):
    """A struct of bit-fields of one type: (name, width) or, for a plain member, (name, None) or
    (name, None, its own type)"""
    layout = [(n, t) if w is None else (n, ctype, w) for n, t, w in
              ((f[0], f[2] if len(f) > 2 else ctype, f[1]) for f in fields)]
    return type(name, (Structure,), {"_fields_": layout})


def _flags(name, ctype, fields, named="_bits"):
    """C's `union { struct { bit-fields }; <ctype> val; }`; named="bits" when C names the struct"""
    ns = {"_fields_": [(named, _bits(name + "_bits", ctype, fields)), ("val", ctype)]}
    if named.startswith("_"):
        ns["_anonymous_"] = (named,)
    return type(name, (Union,), ns)


# --- options, geometry, identifier (libxnvme_opts.h, libxnvme_geo.h, libxnvme_ident.h) ---

class OptsCss(Structure):
    _fields_ = [("value", c_uint32), ("given", c_uint32)]


class Opts(Structure):
    """struct xnvme_opts: the keyword arguments of Device()"""
    _fields_ = [
        ("be", c_char_p), ("dev", c_char_p), ("mem", c_char_p), ("sync", c_char_p),
        ("async_", c_char_p), ("admin", c_char_p),
        ("nsid", c_uint32),
        ("rdonly", c_uint8), ("wronly", c_uint8), ("rdwr", c_uint8), ("create", c_uint8),
        ("truncate", c_uint8), ("direct", c_uint8),
        ("create_mode", c_uint32),
        ("poll_io", c_uint8), ("poll_sq", c_uint8), ("register_files", c_uint8),
        ("register_buffers", c_uint8),
        ("css", OptsCss),
        ("use_cmb_sqs", c_uint32), ("shm_id", c_uint32), ("main_core", c_uint32),
        ("core_mask", c_char_p), ("adrfam", c_char_p), ("subnqn", c_char_p),
        ("hostnqn", c_char_p),
        ("admin_timeout", c_uint32), ("command_timeout", c_uint32), ("spdk_fabrics", c_uint32),
        ("keep_alive_timeout_ms", c_uint32),
    ]


class Geo(Structure):
    _fields_ = [
        ("type", c_uint32), ("npugrp", c_uint32), ("npunit", c_uint32), ("nzone", c_uint32),
        ("nsect", c_uint64), ("nbytes", c_uint32), ("nbytes_oob", c_uint32),
        ("tbytes", c_uint64), ("ssw", c_uint64), ("mdts_nbytes", c_uint32),
        ("lba_nbytes", c_uint32), ("lba_extended", c_uint8), ("pi_type", c_uint8),
        ("pi_loc", c_uint8), ("pi_format", c_uint8), ("_rsvd", c_uint8 * 4),
    ]


class Ident(Structure):
    _fields_ = [
        ("subnqn", c_char * 256), ("uri", c_char * 384), ("dtype", c_uint32),
        ("nsid", c_uint32), ("csi", c_uint8), ("rsvd", c_uint8 * 55),
    ]


# --- completion and submission entries (libxnvme_spec.h) ---

class Status(Structure):
    """Completion status field: p, sc, sct, m, dnr bits and `val`"""
    _anonymous_ = ("_u",)
    _fields_ = [("_u", _flags("StatusU", c_uint16, [
        ("p", 1), ("sc", 8), ("sct", 3), ("rsvd2", 2), ("m", 1), ("dnr", 1)]))]


class _CplDw01(Union):
    _anonymous_ = ("_dw",)
    _fields_ = [("_dw", _bits("CplDw", c_uint32, [("cdw0", None), ("rsvd1", None)])),
                ("result", c_uint64)]


class Cpl(Structure):
    """Completion queue entry (struct xnvme_spec_cpl)"""
    _anonymous_ = ("_u",)
    _fields_ = [("_u", _CplDw01), ("sqhd", c_uint16), ("sqid", c_uint16), ("cid", c_uint16),
                ("status", Status)]


class SglDescriptor(Structure):
    _anonymous_ = ("_u",)

    class _U(Union):
        _fields_ = [
            ("generic", _bits("SglGeneric", c_uint64, [("rsvd", 56), ("subtype", 4), ("type", 4)])),
            ("unkeyed", _bits("SglUnkeyed", c_uint64,
                              [("len", 32), ("rsvd", 24), ("subtype", 4), ("type", 4)])),
        ]

    _fields_ = [("addr", c_uint64), ("_u", _U)]


class _Dptr(Union):
    _fields_ = [
        ("prp", _bits("Prp", c_uint64, [("prp1", None), ("prp2", None)])),
        ("sgl", SglDescriptor),
        ("lnx_ioctl", _bits("LnxIoctl", c_uint32, [
            ("data", None, c_uint64), ("metadata_len", None), ("data_len", None)])),
    ]


class CmdCommon(Structure):
    """Dwords 0-15 as every command has them; cdw10 is `ndt`, cdw11 `ndm` (xNVMe's names)"""
    _fields_ = [
        ("opcode", c_uint8), ("fuse", c_uint8, 2), ("rsvd", c_uint8, 4), ("psdt", c_uint8, 2),
        ("cid", c_uint16), ("nsid", c_uint32), ("cdw02", c_uint32), ("cdw03", c_uint32),
        ("mptr", c_uint64), ("dptr", _Dptr), ("ndt", c_uint32), ("ndm", c_uint32),
        ("cdw12", c_uint32), ("cdw13", c_uint32), ("cdw14", c_uint32), ("cdw15", c_uint32),
    ]


class CmdIdfy(Structure):
    _fields_ = [
        ("cdw00_09", c_uint32 * 10), ("cns", c_uint32, 8), ("rsvd1", c_uint32, 8),
        ("cntid", c_uint32, 16), ("nvmsetid", c_uint32, 16), ("rsvd2", c_uint32, 8),
        ("csi", c_uint32, 8), ("cdw12_13", c_uint32 * 2), ("uuid", c_uint32, 7),
        ("rsvd3", c_uint32, 25), ("cdw15", c_uint32),
    ]


class CmdLog(Structure):
    _fields_ = [
        ("cdw00_09", c_uint32 * 10), ("lid", c_uint32, 8), ("lsp", c_uint32, 7),
        ("rae", c_uint32, 1), ("numdl", c_uint32, 16), ("numdu", c_uint32, 16),
        ("lsi", c_uint32, 16), ("lpol", c_uint32), ("lpou", c_uint32), ("uuidx", c_uint32, 7),
        ("rsvd1", c_uint32, 16), ("ot", c_uint32, 1), ("csi", c_uint32, 8), ("cdw15", c_uint32),
    ]


class CmdNvm(Structure):
    """Read, write and their kin; `nlb` is zero-based as on the wire"""
    _fields_ = [
        ("cdw00_09", c_uint32 * 10), ("slba", c_uint64), ("nlb", c_uint32, 16),
        ("rsvd", c_uint32, 4), ("dtype", c_uint32, 4), ("rsvd2", c_uint32, 2),
        ("prinfo", c_uint32, 4), ("fua", c_uint32, 1), ("lr", c_uint32, 1),
        ("cdw13", _flags("NvmCdw13", c_uint32, [
            ("af", 4), ("al", 2), ("sr", 1), ("incom", 1), ("rsvd3", 8), ("dspec", 16)])),
        ("ilbrt", c_uint32), ("lbat", c_uint32, 16), ("lbatm", c_uint32, 16),
    ]


class CmdWriteZeroes(Structure):
    _fields_ = [
        ("cdw00_09", c_uint32 * 10), ("slba", c_uint64), ("nlb", c_uint32, 16),
        ("rsvd1", c_uint32, 8), ("stc", c_uint32, 1), ("deac", c_uint32, 1),
        ("prinfo", c_uint32, 4), ("fua", c_uint32, 1), ("lr", c_uint32, 1),
        ("cdw_13", c_uint32), ("ilbrt", c_uint32), ("lbat", c_uint32, 16),
        ("lbatm", c_uint32, 16),
    ]


class Cmd(Structure):
    """A 64-byte submission entry (struct xnvme_spec_cmd) with the views most callers use"""
    _anonymous_ = ("_u",)

    class _U(Union):
        _fields_ = [("common", CmdCommon), ("log", CmdLog), ("idfy", CmdIdfy), ("nvm", CmdNvm),
                    ("write_zeroes", CmdWriteZeroes), ("cdw", c_uint32 * 16)]

    _fields_ = [("_u", _U)]


class CmdCtxAsync(Structure):
    # cb is a C function pointer; a void pointer of the same size keeps this free of the
    # cyclic type (the callback takes a pointer to the context that holds it)
    _fields_ = [("queue", c_void_p), ("cb", c_void_p), ("cb_arg", c_void_p)]


class CmdCtx(Structure):
    """struct xnvme_cmd_ctx: a command, its completion, the device, async attributes"""
    _fields_ = [("cmd", Cmd), ("cpl", Cpl), ("dev", c_void_p), ("async_", CmdCtxAsync),
                ("opts", c_uint32), ("be_rsvd", c_uint8 * 12)]


# --- identify controller (NVMe 2.0 Figure 275) ---

class PowerState(Structure):
    _fields_ = [
        ("mp", c_uint16), ("reserved1", c_uint8), ("mps", c_uint8, 1), ("nops", c_uint8, 1),
        ("reserved2", c_uint8, 6), ("enlat", c_uint32), ("exlat", c_uint32),
        ("rrt", c_uint8, 5), ("reserved3", c_uint8, 3), ("rrl", c_uint8, 5),
        ("reserved4", c_uint8, 3), ("rwt", c_uint8, 5), ("reserved5", c_uint8, 3),
        ("rwl", c_uint8, 5), ("reserved6", c_uint8, 3), ("idlp", c_uint16),
        ("reserved7", c_uint8, 6), ("ips", c_uint8, 2), ("reserved8", c_uint8),
        ("actp", c_uint16), ("apw", c_uint8, 3), ("reserved9", c_uint8, 3), ("aps", c_uint8, 2),
        ("reserved10", c_uint8 * 9),
    ]


class VsRegister(Union):
    _fields_ = [("bits", _bits("VsBits", c_uint32, [("ter", 8), ("mnr", 8), ("mjr", 16)])),
                ("val", c_uint32)]


def _ones(*names):
    return [(n, 1) for n in names]


class _NvmfSpecific(Structure):
    _fields_ = [
        ("ioccsz", c_uint32), ("iorcsz", c_uint32), ("icdoff", c_uint16),
        ("ctrattr", _bits("Ctrattr", c_uint8, [("ctrlr_model", 1), ("reserved", 7)])),
        ("msdbd", c_uint8),
        ("ofcs", _bits("Ofcs", c_uint16, [("disc_del", 1), ("reserved", 15)])),
        ("reserved", c_uint8 * 242),
    ]


class _Rpmbs(Union):
    """Replay protected memory block support: bit-fields and whole bytes under a 32-bit val"""
    _anonymous_ = ("_bits",)
    _fields_ = [("_bits", _bits("RpmbsBits", c_uint8, [
        ("num_rpmb_units", 3), ("auth_method", 3), ("reserved1", 2), ("reserved2", None),
        ("total_size", None), ("access_size", None)])), ("val", c_uint32)]


class IdfyCtrlr(Structure):
    """struct xnvme_spec_idfy_ctrlr (4096 bytes)"""
    _fields_ = [
        ("vid", c_uint16), ("ssvid", c_uint16), ("sn", c_char * 20), ("mn", c_char * 40),
        ("fr", c_char * 8), ("rab", c_uint8), ("ieee", c_uint8 * 3),
        ("cmic", _flags("Cmic", c_uint8, _ones("multi_port", "multi_host", "sr_iov", "ana_rprt")
                        + [("reserved", 4)])),
        ("mdts", c_uint8), ("cntlid", c_uint16), ("ver", VsRegister), ("rtd3r", c_uint32),
        ("rtd3e", c_uint32),
        ("oaes", _flags("Oaes", c_uint32, [("reserved1", 8)] + _ones(
            "ns_attribute_notices", "fw_activation_notices", "reserved2", "ana_notices",
            "pleal_notices", "lba_sia_notices", "egea_notices", "normal_nvm_ss")
            + [("reserved3", 11), ("zone_changes", 1), ("reserved4", 3),
               ("discovery_log_notices", 1)])),
        ("ctratt", _flags("Ctratt", c_uint32, _ones(
            "host_id_exhid_supported", "non_operational_power_state_permissive_mode",
            "nvm_sets", "read_recovery_levels", "endurance_groups", "predictable_latency_mode",
            "tbkas", "namespace_granularity", "sq_associations", "uuid_list",
            "multi_domain_subsystem", "fixed_capacity_management",
            "variable_capacity_management", "delete_endurance_group", "delete_nvm_set",
            "extended_lba_formats") + [("reserved1", 3), ("flexible_data_placement", 1),
                                       ("reserved2", 12)])),
        ("rrls", c_uint16), ("reserved_102", c_uint8 * 9), ("cntrltype", c_uint8),
        ("fguid", c_uint8 * 16), ("crdt1", c_uint16), ("crdt2", c_uint16), ("crdt3", c_uint16),
        ("reserved_134", c_uint8 * 119),
        ("nvmsr", _flags("Nvmsr", c_uint8, [("nvmesd", 1), ("nvmee", 1), ("nvmsr_rsvd", 6)])),
        ("vwci", _flags("Vwci", c_uint8, [("vwcr", 7), ("vwcrv", 1)])),
        ("mec", _flags("Mec", c_uint8, [("smbusme", 1), ("pcieme", 1), ("mec_rsvd", 6)])),
        ("oacs", _flags("Oacs", c_uint16, _ones(
            "security", "format", "firmware", "ns_manage", "device_self_test", "directives",
            "nvme_mi", "virtualization_management", "doorbell_buffer_config", "lba_status",
            "cmd_feature_lockdown") + [("oacs_rsvd", 5)])),
        ("acl", c_uint8), ("aerl", c_uint8),
        ("frmw", _flags("Frmw", c_uint8, [("slot1_ro", 1), ("num_slots", 3),
                                          ("activation_without_reset", 1),
                                          ("mul_update_detection", 1), ("frmw_rsvd", 2)])),
        ("lpa", _flags("Lpa", c_uint8, _ones("ns_smart", "celp", "edlp", "telemetry", "pel",
                                             "mel", "tel_da4", "lpa_rsvd"))),
        ("elpe", c_uint8), ("npss", c_uint8),
        ("avscc", _flags("Avscc", c_uint8, [("spec_format", 1), ("avscc_rsvd", 7)])),
        ("apsta", _flags("Apsta", c_uint8, [("supported", 1), ("apsta_rsvd", 7)])),
        ("wctemp", c_uint16), ("cctemp", c_uint16), ("mtfa", c_uint16), ("hmpre", c_uint32),
        ("hmmin", c_uint32), ("tnvmcap", c_uint64 * 2), ("unvmcap", c_uint64 * 2),
        ("rpmbs", _Rpmbs),
        ("edstt", c_uint16),
        ("dsto", _flags("Dsto", c_uint8, [("one_only", 1), ("reserved", 7)], "bits")),
        ("fwug", c_uint8), ("kas", c_uint16),
        ("hctma", _flags("Hctma", c_uint16, [("supported", 1), ("reserved", 15)], "bits")),
        ("mntmt", c_uint16), ("mxtmt", c_uint16),
        ("sanicap", _flags("Sanicap", c_uint32, [
            ("crypto_erase", 1), ("block_erase", 1), ("overwrite", 1), ("reserved", 26),
            ("ndi", 1), ("nodmmas", 2)], "bits")),
        ("hmminds", c_uint32), ("hmmaxd", c_uint16), ("nsetidmax", c_uint16),
        ("endgidmax", c_uint16), ("anatt", c_uint8),
        ("anacap", _flags("Anacap", c_uint8, _ones(
            "optimize", "non_optimize", "inaccessible", "persist_loss", "change", "reserved1",
            "ns_anagrpid", "mgt_anagrpid"), "bits")),
        ("anagrpmax", c_uint32), ("nanagrpid", c_uint32), ("pels", c_uint32),
        ("domain_identifier", c_uint16), ("reserved_358", c_uint8 * 10),
        ("megcap", c_uint64 * 2), ("reserved_384", c_uint8 * 128),
        ("sqes", _flags("Sqes", c_uint8, [("min", 4), ("max", 4)])),
        ("cqes", _flags("Cqes", c_uint8, [("min", 4), ("max", 4)])),
        ("maxcmd", c_uint16), ("nn", c_uint32),
        ("oncs", _flags("Oncs", c_uint16, _ones(
            "compare", "write_unc", "dsm", "write_zeroes", "set_features_save", "reservations",
            "timestamp", "verify", "copy") + [("reserved", 7)])),
        ("fuses", c_uint16),
        ("fna", _flags("Fna", c_uint8, _ones("format_all_ns", "erase_all_ns",
                                             "crypto_erase_supported", "nsid_ffffffff")
                       + [("reserved", 4)])),
        ("vwc", _flags("Vwc", c_uint8, [("present", 1), ("flush_broadcast", 2),
                                        ("reserved", 5)])),
        ("awun", c_uint16), ("awupf", c_uint16), ("nvscc", c_uint8), ("nwpc", c_uint8),
        ("acwu", c_uint16),
        ("cdfs", _flags("Cdfs", c_uint16, [("format0", 1), ("format1", 1), ("reserved", 14)])),
        ("sgls", _flags("Sgls", c_uint32, [
            ("supported", 2), ("keyed_sgl", 1), ("reserved1", 5), ("sgl_desc_threshold", 8),
            ("bit_bucket_descriptor", 1), ("metadata_pointer", 1), ("oversized_sgl", 1),
            ("metadata_address", 1), ("sgl_offset", 1), ("transport_sgl", 1),
            ("reserved2", 10)])),
        ("mnan", c_uint32), ("maxdna", c_uint64 * 2), ("maxcna", c_uint32),
        ("reserved_564", c_uint8 * 204), ("subnqn", c_char * 256),
        ("reserved_1024", c_uint8 * 768), ("nvmf_specific", _NvmfSpecific),
        ("psd", PowerState * 32), ("vs", c_uint8 * 1024),
    ]


# --- identify namespace (NVM 1.0 Figure 97) ---

class Lbaf(Structure):
    """LBA format: metadata bytes, data size as 2^ds, relative performance"""
    _fields_ = [("ms", c_uint16), ("ds", c_uint8), ("rp", c_uint8, 2), ("rsvd", c_uint8, 6)]


class IdfyNs(Structure):
    """struct xnvme_spec_idfy_ns (4096 bytes)"""
    _fields_ = [
        ("nsze", c_uint64), ("ncap", c_uint64), ("nuse", c_uint64),
        ("nsfeat", _bits("Nsfeat", c_uint8, _ones(
            "thin_prov", "ns_atomic_write_unit", "dealloc_or_unwritten_error",
            "guid_never_reused", "optimal_performance") + [("reserved1", 3)])),
        ("nlbaf", c_uint8),
        ("flbas", _bits("Flbas", c_uint8, [("format", 4), ("extended", 1), ("format_msb", 2),
                                           ("reserved2", 1)])),
        ("mc", _bits("Mc", c_uint8, [("extended", 1), ("pointer", 1), ("reserved3", 6)])),
        ("dpc", _flags("Dpc", c_uint8, _ones("pit1", "pit2", "pit3", "md_start", "md_end")
                       + [("reserved", 3)])),
        ("dps", _flags("Dps", c_uint8, [("pit", 3), ("md_start", 1), ("reserved4", 4)])),
        ("nmic", _bits("Nmic", c_uint8, [("can_share", 1), ("reserved", 7)])),
        ("nsrescap", _flags("Nsrescap", c_uint8, _ones(
            "persist", "write_exclusive", "exclusive_access", "write_exclusive_reg_only",
            "exclusive_access_reg_only", "write_exclusive_all_reg", "exclusive_access_all_reg",
            "ignore_existing_key"))),
        ("fpi", _flags("Fpi", c_uint8, [("percentage_remaining", 7), ("fpi_supported", 1)])),
        ("dlfeat", _flags("Dlfeat", c_uint8, [("read_value", 3), ("write_zero_deallocate", 1),
                                              ("guard_value", 1), ("reserved", 3)], "bits")),
        ("nawun", c_uint16), ("nawupf", c_uint16), ("nacwu", c_uint16), ("nabsn", c_uint16),
        ("nabo", c_uint16), ("nabspf", c_uint16), ("noiob", c_uint16),
        ("nvmcap", c_uint64 * 2), ("npwg", c_uint16), ("npwa", c_uint16), ("npdg", c_uint16),
        ("npda", c_uint16), ("nows", c_uint16), ("mssrl", c_uint16), ("mcl", c_uint32),
        ("msrc", c_uint8), ("reserved81", c_uint8 * 11), ("anagrpid", c_uint32),
        ("reserved96", c_uint8 * 3), ("nsattr", c_uint8), ("nvmsetid", c_uint16),
        ("endgid", c_uint16), ("nguid", c_uint8 * 16), ("eui64", c_uint64),
        ("lbaf", Lbaf * 64), ("vendor_specific", c_uint8 * 3712),
    ]

    def lbaf_current(self):
        """The LBA format in use (FLBAS format bits, low four and the two above)"""
        return self.lbaf[self.flbas.format | self.flbas.format_msb << 4]


class Idfy(Union):
    """struct xnvme_spec_idfy: the 4096-byte identify payload, viewed by what was asked"""
    _anonymous_ = ("_u",)

    class _U(Union):
        _fields_ = [("ctrlr", IdfyCtrlr), ("ns", IdfyNs), ("nslist", c_uint32 * 1024),
                    ("raw", c_uint8 * 4096)]

    _fields_ = [("_u", _U)]


class HealthLog(Structure):
    """SMART / health information log page (02h); packed as in C: comp_temp sits at byte 1"""
    _pack_ = 1
    _fields_ = [
        ("crit_warn", c_uint8), ("comp_temp", c_uint16), ("avail_spare", c_uint8),
        ("avail_spare_thresh", c_uint8), ("pct_used", c_uint8), ("eg_crit_warn_sum", c_uint8),
        ("rsvd8", c_uint8 * 25),
    ] + [(n, c_uint8 * 16) for n in (
        "data_units_read", "data_units_written", "host_read_cmds", "host_write_cmds",
        "ctrlr_busy_time", "pwr_cycles", "pwr_on_hours", "unsafe_shutdowns", "mdi_errs",
        "nr_err_logs")] + [
        ("warn_comp_temp_time", c_uint32), ("crit_comp_temp_time", c_uint32),
        ("temp_sens", c_uint16 * 8), ("tmt1tc", c_uint32), ("tmt2tc", c_uint32),
        ("tttmt1", c_uint32), ("tttmt2", c_uint32), ("rsvd", c_uint8 * 280),
    ]

    def counter(self, name):
        """A 128-bit little-endian counter (data_units_read, pwr_on_hours, ...) as an int"""
        return int.from_bytes(bytes(getattr(self, name)), "little")


_SKIP_IN_DICT = ("reserved", "rsvd", "_rsvd", "be_rsvd", "vs", "vendor_specific", "raw")


def to_dict(obj):
    """A ctypes structure as nested dicts and lists; reserved and vendor bytes left out.
    Character arrays become str (trailing spaces and NULs stripped)."""
    if isinstance(obj, (Structure, Union)):
        out = {}
        anonymous = getattr(type(obj), "_anonymous_", ())
        for field in type(obj)._fields_:
            name = field[0]
            if name in anonymous:
                out.update(to_dict(getattr(obj, name)))
            elif not name.startswith(_SKIP_IN_DICT):
                out[name.rstrip("_")] = to_dict(getattr(obj, name))
        return out
    if isinstance(obj, ctypes.Array):
        return [to_dict(x) for x in obj]
    if isinstance(obj, bytes):
        return obj.decode("ascii", "replace").rstrip(" \0")
    return obj
