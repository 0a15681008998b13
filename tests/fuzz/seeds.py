#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the seed corpus of the fuzz targets (corpus/<target>/): small inputs made by hand, one
per feature a target reaches, in each target's input format (see the comment at the top of each
fuzz_*.c). Reproducers of the bugs the fuzzers found are here too, so CI keeps checking them.
Run it after changing an input format; the files it writes are committed."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    path = os.path.join(HERE, 'corpus', target)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, name), 'wb') as f:
        f.write(data)


def ident():
    # admin, sync, async, mem picks; flags (bit 2 rdwr, bit 7 without "ramdisk:"); nsid; identifier
    seeds = {
        'plain': (0, 0, 0, 0, 0x04, 0, '1MiB'),
        'bare_be': (0, 0, 0, 0, 0x84, 0, '64KiB'),
        'nil': (1, 1, 1, 1, 0x04, 0, '1MiB,nil=1'),
        'md_ext': (0, 0, 2, 0, 0x04, 0, '1MiB,lbads=4096,ms=8,mset=ext'),
        'md_sep': (0, 0, 3, 0, 0x04, 0, '512KiB,lbads=512,ms=16,mset=sep'),
        'zoned': (0, 0, 0, 0, 0x04, 1, '1MiB,zoned=1,zsze=256,zcap=128,zdes=1,mor=4,mar=8'),
        'zoned_ronly': (0, 0, 0, 0, 0x04, 1, '1MiB,zoned=1,ronly=2'),
        'kv': (0, 0, 0, 0, 0x04, 1, '1MiB,kv=1,kvseed=10'),
        'multi_ns': (0, 0, 0, 0, 0x04, 3, '256KiB,nns=3,zoned=2,kv=3'),
        'nsid_missing': (0, 0, 0, 0, 0x04, 9, '64KiB,nns=2'),
        'bad_key': (0, 0, 0, 0, 0x04, 0, '1MiB,pi=1'),
        'bad_size': (0, 0, 0, 0, 0x04, 0, '1XB'),
        'bad_iface': (3, 4, 4, 2, 0x04, 0, '1MiB'),
        'rdonly_wronly': (0, 0, 0, 0, 0x03, 0, '1MiB'),
        'empty_tokens': (0, 0, 0, 0, 0x04, 0, ',1MiB,,nil=1,'),
        'gb_bare': (0, 0, 0, 0, 0x84, 0, '1GB,nil=1'),
        'hex_num': (0, 0, 0, 0, 0x04, 1, '0x10000,zoned=1,zsze=0x20'),
        'pci': (0, 0, 0, 0, 0x84, 0, '0000:01:00.0'),
        'fabrics': (0, 0, 0, 0, 0x84, 0, '[::1]:4420'),
        'path': (0, 0, 0, 0, 0x84, 0, '/dev/nvme0n1'),
        # Reproducer: seeding the KV namespace sorted each key in by moving the array (minutes)
        'kvseed_max': (0, 0, 0, 0, 0x04, 1, '1MiB,kv=1,kvseed=100000'),
    }
    for name, (a, s, y, m, f, nsid, uri) in seeds.items():
        write('fuzz_ident', name, bytes([a, s, y, m, f]) + struct.pack('<I', nsid) + uri.encode())


def cli():
    # argv[1..], NUL-separated
    seeds = {
        'help': ['--help'],
        'usage_none': [],
        'unknown_sub': ['nope'],
        'lopt_nums': ['lopt', '--slba', '0x10', '--nlb', '7', '--cdw10', '0xffffffff', '--lba=12',
                      '--count', '18446744073709551615'],
        'lopt_strs': ['lopt', '--be', 'ramdisk', '--async', 'thrpool', '--data-output', '/dev/null',
                      '--core-mask', '0x3'],
        'lopt_css': ['lopt', '--css', '0x7', '--poll_io', '1', '--shm_id', '2'],
        'lopt_bad_num': ['lopt', '--slba', '12abc'],
        'lopt_prefix': ['lopt', '--sl', '1'],
        'lopt_missing_val': ['lopt', '--slba'],
        'lflg': ['lflg', '--verbose', '--all', '--pract', '--direct', '--clear'],
        'lflg_value': ['lflg', '--verbose=1'],
        'lreq_missing': ['lreq', '--slba', '1'],
        'mixed_pos': ['mixed', 'ramdisk:1MiB', '0x1f', 'in.bin', '1', '--nsid', '2',
                      '--kv-store-add', '--seed', '1'],
        'mixed_excl': ['mixed', 'u', '1', 'f', '1', '--kv-store-add', '--kv-store-update'],
        'mixed_dashdash': ['mixed', '--', '-u', '1', '-f', '0'],
        'sub_help': ['mixed', '-h'],
        'none_extra': ['none', 'x'],
        'broken': ['broken', 'x'],
        'nofunc': ['nofunc', 'x'],
        'short_opt': ['lopt', '-x'],
        'pract_zero': ['lopt', '--pract', '0x0', '--direct', '0'],
    }
    for name, args in seeds.items():
        write('fuzz_cli', name, b'\0'.join(a.encode() for a in args))
    # The tools' parser (first byte 0x01)
    tools = {
        'tool_help': ['--help'],
        'tool_version': ['--version'],
        'tool_near': ['al'],
        'tool_all': ['all', 'ramdisk:1MiB', '--nsid', '2', '--slba', '0x10', '--be=ramdisk',
                     '--direct', '1', '--data-output', 'x.bin'],
        'tool_all_json': ['all', 'u', '--output', 'json', '--key', "it's: {a}", '--value', '- [x]'],
        'tool_nsid0': ['all', 'u', '--nsid', '0'],
        'tool_short': ['all', '-hx', 'u'],
        'tool_short_bad': ['all', '-x', 'u'],
        'tool_missing_val': ['all', 'u', '--slba'],
        'tool_flag_val': ['all', 'u', '--all=1'],
        'tool_prefix': ['all', 'u', '--sl', '1'],
        'tool_not_applicable': ['none', '--slba', '1'],
        'tool_dev_two': ['dev', 'a', 'b', '--be', 'linux'],
        'tool_dev_one': ['dev', 'a'],
        'tool_opt2': ['opt2', 'a', '--output', 'json'],
        'tool_extra': ['opt2', 'a', 'b', 'c'],
    }
    for name, args in tools.items():
        write('fuzz_cli', name, b'\1' + b'\0'.join(a.encode() for a in args))
    # The YAML-to-JSON converter (first byte 0x02): documents as the tools print them
    docs = {
        'yaml_mapping': 'xnvme_dev:\n  xnvme_ident:\n    uri: \'ramdisk:1MiB\'\n    nsid: 0x1\n'
                        '    csi: 0x0\n  xnvme_geo:\n    type: XNVME_GEO_CONVENTIONAL\n',
        'yaml_list': 'xnvme_enumeration:\n  - {uri: \'/dev/nvme0n1\', dtype: 0x2}\n  - [1, 2, \'a,b\']\n',
        'yaml_scalars': 'a: ~\nb: true\nc: -0x10\nd: 1.5e3\ne: "quoted \\" x"\nf: \'it\'\'s\'\n',
        'yaml_multi': '---\nx: 1\n---\ny: [\n',
        'yaml_bad_indent': 'a:\n    b: 1\n  c: 2\n',
        # Reproducer: a tab-indented line after the first one leaked the line table
        'yaml_tab_leak': 'a:\n\t\tb: 1\n',
    }
    for name, doc in docs.items():
        write('fuzz_cli', name, b'\2' + doc.encode())


def fdp_desc(ds, nruh, tail):
    return struct.pack('<HBBIHHIQI', ds, 0x80, 0, 1, nruh, 0, 1, 1 << 20, 0) + bytes(36) + tail


def pr():
    # selector, print options, limit/fid (2 bytes), the structure
    # In fuzz_pr.c's order: FUZZ_PR_PLAIN, then pr_other()'s cases
    names = ['idfy_ctrlr', 'idfy_ns', 'idfy_cs', 'nvm_idfy_ctrlr', 'nvm_idfy_ns', 'znd_idfy_ctrlr',
             'znd_idfy_lbafe', 'znd_idfy_ns', 'kvs_idfy_ns', 'log_fw_slot', 'log_chns', 'log_csae',
             'znd_log_changes', 'ctrlr_bar', 'spec_cmd', 'spec_cpl', 'scopy_fmt_zero', 'znd_descr',
             'znd_report_hdr', 'geo',
             'log_erri', 'log_health', 'fdp_conf', 'nslist', 'fdp_events', 'fdp_stats', 'ruhu',
             'drecv_idfy', 'ruhs', 'drecv_srp', 'feat_fdp_events', 'feat_u32', 'drecv_sgs',
             'drecv_sar', 'cmd_ctx', 'scopy_range', 'znd_descr_yaml', 'lba_fprn', 'feat',
             'znd_report']
    pat = bytes((i * 37 + 11) & 0xff for i in range(256))
    for sel, name in enumerate(names):
        limit = 3
        if name == 'idfy_ctrlr':
            # serial, model and firmware filled to their last byte: no NUL
            body = struct.pack('<HH', 0x1b36, 0x1af4) + b'S' * 20 + b'M' * 40 + b'F' * 8 + pat[:120]
        elif name == 'fdp_conf':
            # Reproducer: ncfg says 2 configurations, the page's size holds one and a half
            body = struct.pack('<HBBI8x', 1, 0, 0, 128) + struct.pack('<H', 48) + bytes(14) + \
                struct.pack('<H', 2) + bytes(30) + pat[:64]
        elif name == 'feat':
            limit = 0x07  # number of queues
            body = struct.pack('<I', 0x003f003f)
        elif name == 'feat_u32':
            limit = 0x04  # temperature threshold
            body = struct.pack('<I', 0x157)
        elif name == 'znd_report':
            body = bytes([1]) + struct.pack('<QQQ', 16, 0, 15 * 256) + pat[:192]
        else:
            body = pat[:96]
        write('fuzz_pr', '%02d_%s' % (sel, name), bytes([sel, 0]) + struct.pack('<H', limit) + body)
    # Reproducer: the first configuration's size is odd (the second starts unaligned) and its
    # nruh (300) claims more handles than the page holds
    body = struct.pack('<HBBI8x', 1, 0, 0, 16 + 65 + 72) + fdp_desc(65, 300, bytes([1])) + \
        fdp_desc(72, 2, bytes([1, 0, 0, 0, 2, 0, 0, 0]))
    sel = names.index('fdp_conf')
    write('fuzz_pr', '%02d_fdp_conf_unaligned' % sel, bytes([sel, 0, 0, 0]) + body)


def nvme_cmd(opc, nsid=1, cdw10=0, cdw11=0, cdw12=0, cdw13=0, cdw14=0, cdw15=0):
    return struct.pack('<BBHI', opc, 0, 1, nsid) + bytes(32) + \
        struct.pack('<6I', cdw10, cdw11, cdw12, cdw13, cdw14, cdw15)


ADMIN, VEC, IOV, NULLD, NULLM, BIG = 0x1, 0x2 | 0x4, 0x2 | 0x4 | 0x40, 0x10, 0x20, 0x80


def rec(cmd, kind=0, dlen=0, mlen=0, fill=0xab, split=0x55):
    if dlen > 0xffff:
        kind |= BIG
        dlen //= 32
    return bytes([kind, fill]) + struct.pack('<HHB', dlen, mlen, split) + cmd


def ramdisk_cmd():
    # format (index into fuzz_ramdisk_cmd.c's g_formats), then the commands
    def idfy(cns, nsid=0, csi=0):
        return rec(nvme_cmd(0x06, nsid, cns, csi << 24), ADMIN, 4096)

    def log(lid, nsid, ndw, nbytes, lsi=0):
        return rec(nvme_cmd(0x02, nsid, lid | ((ndw - 1) << 16), 0, 0, 0, 0, lsi), ADMIN, nbytes)

    c = nvme_cmd
    seeds = {
        'plain_idfy': (0, [idfy(1), idfy(0, 1), idfy(2), idfy(6, 1, 0), idfy(5, 1, 2)]),
        'plain_rw': (0, [rec(c(0x01, 1, 0, 0, 7), 0, 4096), rec(c(0x02, 1, 0, 0, 7), 0, 4096),
                         rec(c(0x05, 1, 0, 0, 7), 0, 4096)]),
        'plain_rw_short_buf': (0, [rec(c(0x02, 1, 490, 0, 15), 0, 512)]),
        'plain_rw_vec': (0, [rec(c(0x01, 1, 8, 0, 3), VEC, 2048, split=0x1b),
                             rec(c(0x02, 1, 8, 0, 3), VEC, 2048, split=0x6c)]),
        'plain_logs': (0, [log(0x01, 0xffffffff, 1024, 4096), log(0x02, 0xffffffff, 128, 512),
                           log(0x81, 0, 8, 32), log(0x06, 0, 101, 404)]),
        'plain_feat': (0, [rec(c(0x09, 0, 0x04, 0x160)), rec(c(0x0a, 0, 0x04)),
                           rec(c(0x0a, 0, 0x07 | (3 << 8))), rec(c(0x09, 0, 0x07, 0x00ff00ff))]),
        'plain_wz_dsm_uncor': (0, [rec(c(0x08, 1, 16, 0, 31)), rec(c(0x09, 1, 0, 0x4), 0, 16, fill=0),
                                   rec(c(0x04, 1, 4, 0, 0)), rec(c(0x02, 1, 4, 0, 0), 0, 512)]),
        'plain_flush_all': (0, [rec(c(0x00, 0xffffffff)), rec(c(0x00, 7))]),
        'plain_format_sanitize': (0, [rec(c(0x80, 1, 0x3), ADMIN), rec(c(0x84, 0, 0x2), ADMIN),
                                      log(0x81, 0, 8, 32), rec(c(0x14, 0xffffffff, 0x1), ADMIN)]),
        'plain_copy': (0, [rec(c(0x19, 1, 100, 0, 0), 0, 32, fill=0)]),
        'nil_rw': (1, [rec(c(0x01, 1, 0, 0, 255), 0, 131072), rec(c(0x02, 1, 0, 0, 255), 0, 131072)]),
        'md_ext_rw': (2, [rec(c(0x01, 1, 0, 0, 1), 0, 2 * 4104), rec(c(0x02, 1, 0, 0, 1), IOV, 2 * 4104)]),
        'md_sep_rw': (3, [rec(c(0x01, 1, 0, 0, 3), 0, 2048, 64), rec(c(0x02, 1, 0, 0, 3), VEC, 2048, 64)]),
        'md64_short_meta': (4, [rec(c(0x02, 1, 0, 0, 3), 0, 16384, 100)]),
        'zoned_report': (5, [rec(c(0x7a, 1, 0, 0, 1023, 0x0), 0, 4096),
                             rec(c(0x7a, 1, 0, 0, 127, 0x1), 0, 512)]),
        'zoned_append_open_finish': (5, [rec(c(0x7d, 1, 0, 0, 7), 0, 4096), rec(c(0x79, 1, 64, 0, 0, 0x3)),
                                         rec(c(0x79, 1, 64, 0, 0, 0x2)),
                                         rec(c(0x79, 0, 0, 0, 0, 0x4 | (1 << 8)))]),
        'zoned_ext_set': (5, [rec(c(0x79, 1, 128, 0, 0, 0x10), 0, 64, fill=0x5a),
                              rec(c(0x7a, 1, 0, 0, 1023, 0x1), 0, 4096)]),
        'zoned_write_wp': (5, [rec(c(0x01, 1, 0, 0, 0), 0, 512), rec(c(0x01, 1, 0, 0, 0), 0, 512),
                               rec(c(0x01, 1, 1, 0, 0), 0, 512)]),
        'zoned_ronly_changes': (6, [log(0xbf, 0, 1024, 4096, 2 << 8), rec(c(0x01, 1, 64, 0, 0), 0, 512)]),
        'kv_store_retrieve': (7, [rec(c(0x01, 1, 32), 0, 32), rec(c(0x02, 1, 32), 0, 32),
                                  rec(c(0x06, 1, 4096), 0, 4096), rec(c(0x14, 1)), rec(c(0x10, 1))]),
        'multi_ns': (8, [idfy(0, 2), idfy(5, 2, 2), idfy(5, 3, 1), rec(c(0x7a, 2, 0, 0, 63), 0, 256),
                         rec(c(0x02, 3, 0, 0, 0), 0, 512), rec(c(0x02, 9, 0, 0, 0), 0, 512)]),
        'md_zoned': (9, [rec(c(0x7d, 1, 0, 0, 1), 0, 8192, 16), rec(c(0x7a, 1, 0, 0, 63), 0, 256)]),
        'null_buffers': (0, [rec(c(0x02, 1, 0, 0, 0), NULLD, 512), rec(c(0x06, 0, 1), ADMIN | NULLD, 4096),
                             rec(c(0x02, 1, 0, 0, 0), VEC | NULLD | NULLM, 512, 8)]),
        'huge_dlen': (0, [rec(c(0x02, 1, 0, 0, 2047), 0, 1 << 20)]),
    }
    for name, (fmt, cmds) in seeds.items():
        write('fuzz_ramdisk_cmd', name, bytes([fmt]) + b''.join(cmds))


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def tcp_pdu():
    # Parameters (bit 0 hdgst, bit 1 ddgst, bit 2 ICResp taken), HPDA, max_data (LE16), 8 piece
    # sizes (0: the rest), then the controller's byte stream (NVMe/TCP transport 1.0, 3.6.2)
    def params(hd, dd, taken, hpda=0, max_data=4096, pieces=(0,) * 8):
        return bytes([hd | dd << 1 | taken << 2, hpda]) + struct.pack('<H', max_data) + bytes(pieces)

    def ch(ptype, flags, hlen, pdo, plen):
        return struct.pack('<BBBBI', ptype, flags, hlen, pdo, plen)

    def with_hdgst(hdr, hd):
        return hdr + struct.pack('<I', crc32c(hdr)) if hd else hdr

    def icresp(dgst=0, cpda=0, maxh2cdata=8192, pfv=0):
        body = struct.pack('<HBBI', pfv, cpda, dgst, maxh2cdata)
        return ch(0x01, 0, 128, 0, 128) + body + bytes(128 - 16)

    def resp(hd, cid):
        cqe = struct.pack('<IIHHHH', 0, 0, 1, 1, cid, 0)
        return with_hdgst(ch(0x05, hd, 24, 0, 24 + 4 * hd) + cqe, hd)

    def r2t(hd, cccid, ttag, r2to, r2tl):
        body = struct.pack('<HHIII', cccid, ttag, r2to, r2tl, 0)
        return with_hdgst(ch(0x09, hd, 24, 0, 24 + 4 * hd) + body, hd)

    def c2h(hd, dd, hpda, cccid, datao, data, flags=0x04, bad_ddgst=False):
        align = (hpda + 1) * 4
        pdo = (24 + 4 * hd + align - 1) // align * align
        plen = pdo + len(data) + 4 * dd
        body = struct.pack('<HHIII', cccid, 0, datao, len(data), 0)
        hdr = with_hdgst(ch(0x07, flags | hd | dd << 1, 24, pdo, plen) + body, hd)
        digest = struct.pack('<I', crc32c(data) ^ (1 if bad_ddgst else 0)) if dd else b''
        return hdr + bytes(pdo - len(hdr)) + data + digest

    def term(fes, fei, extra=b''):
        return ch(0x03, 0, 24, 0, 24 + len(extra)) + struct.pack('<HI', fes, fei) + bytes(10) + extra

    data = bytes(range(256)) * 2
    seeds = {}
    for hd in (0, 1):
        for dd in (0, 1):
            name = 'h%dd%d' % (hd, dd)
            stream = (icresp(hd | dd << 1) + resp(hd, 1) + r2t(hd, 2, 7, 0, 4096) +
                      c2h(hd, dd, 0, 3, 0, data[:300], 0) + c2h(hd, dd, 0, 3, 300, data[:212], 0x0c))
            seeds['stream_' + name] = params(hd, dd, 0) + stream
            seeds['split_' + name] = params(hd, dd, 0, pieces=(1, 7, 13, 2, 128, 3, 5, 0)) + stream
            seeds['hpda3_' + name] = params(hd, dd, 1, hpda=3) + c2h(hd, dd, 3, 1, 64, data[:100])
            seeds['hpda31_' + name] = params(hd, dd, 1, hpda=31) + c2h(hd, dd, 31, 1, 0, data[:9])
    seeds['ddgst_bad'] = params(1, 1, 1) + c2h(1, 1, 0, 1, 0, data[:64], bad_ddgst=True) + resp(1, 2)
    seeds['term_before_icresp'] = params(0, 0, 0) + term(6, 8, bytes(128))
    seeds['term_after'] = params(1, 0, 1) + resp(1, 3) + term(1, 4, bytes(16)) + resp(1, 4)
    seeds['resp_before_icresp'] = params(0, 0, 0) + resp(0, 1)
    seeds['icresp_twice'] = params(0, 0, 0) + icresp() + icresp()
    seeds['icresp_bad_pfv'] = params(0, 0, 0) + icresp(pfv=1)
    seeds['icresp_small_maxh2cdata'] = params(0, 0, 0) + icresp(maxh2cdata=1024)
    seeds['hdgst_bad'] = params(1, 0, 1) + resp(1, 1)[:-1] + b'\x00'
    seeds['unknown_type'] = params(0, 0, 1) + ch(0x08, 0, 24, 0, 24) + bytes(16)
    seeds['h2c_type'] = params(0, 0, 1) + ch(0x06, 0, 24, 24, 32) + bytes(24)
    seeds['r2tl_zero'] = params(0, 0, 1) + r2t(0, 1, 1, 0, 0)
    seeds['c2h_datal_zero'] = params(0, 0, 1) + ch(0x07, 0x04, 24, 24, 25) + bytes(17)
    seeds['c2h_over_max'] = params(0, 0, 1, max_data=64) + c2h(0, 0, 0, 1, 0, data[:65])
    seeds['c2h_success_no_last'] = params(0, 0, 1) + c2h(0, 0, 0, 1, 0, data[:8], 0x08)
    seeds['c2h_plen_huge'] = params(0, 0, 1) + ch(0x07, 0x04, 24, 24, 0xFFFFFFFF) + bytes(16)
    seeds['c2h_datao_wraps'] = params(0, 0, 1) + c2h(0, 0, 0, 1, 0xFFFFFFF0, data[:32])
    # Reproducer: no bytes at all; the machine did pointer arithmetic on the NULL buffer of a
    # call with none (UBSan)
    seeds['empty'] = b''
    for name, blob in seeds.items():
        write('fuzz_tcp_pdu', name, blob)


if __name__ == '__main__':
    targets = {'ident': ident, 'cli': cli, 'pr': pr, 'ramdisk_cmd': ramdisk_cmd,
               'tcp_pdu': tcp_pdu}
    for t in sys.argv[1:] or targets:
        targets[t]()
