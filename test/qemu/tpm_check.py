#!/usr/bin/python3
"""tpm_check.py SDBOOT.log HOTSHIM.log INITRD HOTSHIM.CONF (test/qemu/tpm.test.sh)

Each serial log holds what the guest's initramfs printed: the command line,
the SHA-256 PCRs from /sys/class/tpm/tpm0/pcr-sha256/, and, in base64, the
event log Linux was handed (/sys/kernel/security/tpm0/binary_bios_measurements).
Checks, printing one line per fact and exiting 1 on the first that fails:
  - each event log replays (tpm2_eventlog) to the PCRs the guest read;
  - both kernels saw the same command line;
  - PCR 9 is what Linux's stub measures for it and the initrd (tagged
    LoadOptions, then tagged initrd), and hotshim's equals systemd-boot's;
  - PCR 12 (systemd-boot's EV_IPL command line) is the same in both;
  - the kernel's own PCR 4 event in systemd-boot's log is in hotshim's;
  - hotshim's log has its configuration in PCR 5, tagged 0x27356420.
"""
import base64
import hashlib
import re
import subprocess
import sys


def guest(path):
    text = open(path, errors="replace").read()
    cmdline = re.search(r"^hotshim-e2e: cmdline (.*)$", text, re.M)
    pcrs = {int(n): v.lower() for n, v in re.findall(r"^hotshim-e2e: pcr (\d+) ([0-9A-Fa-f]{64})$", text, re.M)}
    m = re.search(r"^hotshim-e2e: tpm log begin\n(.*?)^hotshim-e2e: tpm log end", text, re.M | re.S)
    if not cmdline or not m or len(pcrs) < 11:
        sys.exit(f"{path}: the guest printed no command line, PCRs or event log")
    return cmdline.group(1), pcrs, base64.b64decode(m.group(1))


def eventlog(path, log):
    """tpm2_eventlog's events (PCR, type, SHA-256 digest, event text) and replayed SHA-256 PCRs."""
    with open(path, "wb") as f:
        f.write(log)
    out = subprocess.run(["tpm2_eventlog", path], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"tpm2_eventlog {path}: {out.stderr.strip()}")
    events, pcrs, ev, bank = [], {}, None, None
    lines = out.stdout.splitlines()
    for i, line in enumerate(lines):
        s = line.strip()
        if line.startswith("- EventNum:"):
            ev = {"pcr": None, "type": None, "sha256": None, "event": ""}
            events.append(ev)
        elif ev is not None and s.startswith("PCRIndex:"):
            ev["pcr"] = int(s.split()[1])
        elif ev is not None and s.startswith("EventType:"):
            ev["type"] = s.split()[1]
        elif ev is not None and s == "- AlgorithmId: sha256":
            ev["sha256"] = lines[i + 1].split('"')[1]
        elif ev is not None and s.startswith("Event:"):
            ev["event"] = s[len("Event:"):].strip().strip('"')
        elif line.startswith("pcrs:"):
            ev = None
        elif ev is None and re.match(r"^  \w+:$", line):
            bank = s[:-1]
        elif ev is None and bank == "sha256":
            m = re.match(r"^\s+(\d+)\s*: 0x([0-9a-f]+)$", line)
            if m:
                pcrs[int(m.group(1))] = m.group(2)
    return events, pcrs


def sha256(b):
    return hashlib.sha256(b).digest()


def check(ok, what):
    print(("ok: " if ok else "FAILED: ") + what)
    if not ok:
        sys.exit(1)


sd_cmd, sd_pcrs, sd_log = guest(sys.argv[1])
hs_cmd, hs_pcrs, hs_log = guest(sys.argv[2])
initrd = open(sys.argv[3], "rb").read()
conf = open(sys.argv[4], "rb").read()
sd_events, sd_replay = eventlog(sys.argv[2] + ".sdboot.bin", sd_log)
hs_events, hs_replay = eventlog(sys.argv[2] + ".bin", hs_log)

for name, replay, pcrs in (("systemd-boot", sd_replay, sd_pcrs), ("hotshim", hs_replay, hs_pcrs)):
    check(replay and all(pcrs[n] == v for n, v in replay.items() if n in pcrs),
          f"{name}: the event log replays to the TPM's PCRs {sorted(replay)}")
check(sd_cmd == hs_cmd, f"both kernels saw the command line {hs_cmd!r}")

# Linux's stub: extend(extend(0, H(LoadOptions)), H(initrd)), LoadOptions
# being the UTF-16 command line with its NUL
want9 = sha256(bytes(32) + sha256((hs_cmd + "\0").encode("utf-16-le")))
want9 = sha256(want9 + sha256(initrd)).hex()
check(sd_pcrs[9] == want9, f"systemd-boot's PCR 9 is the stub's LoadOptions and initrd: {want9}")
check(hs_pcrs[9] == sd_pcrs[9], "hotshim's PCR 9 is systemd-boot's")
check(hs_pcrs[12] == sd_pcrs[12] and hs_pcrs[12] != "0" * 64,
      f"hotshim's PCR 12 is systemd-boot's: {hs_pcrs[12]}")
for pcr, kind in ((9, "EV_EVENT_TAG"), (12, "EV_IPL")):
    a = [(e["type"], e["sha256"]) for e in sd_events if e["pcr"] == pcr]
    b = [(e["type"], e["sha256"]) for e in hs_events if e["pcr"] == pcr]
    check(a == b and all(t == kind for t, _ in b), f"PCR {pcr}: the same {len(b)} {kind} events in both logs")

# the kernel: the last image systemd-boot's firmware measured into PCR 4
sd_apps = [e["sha256"] for e in sd_events if e["pcr"] == 4 and e["type"] == "EV_EFI_BOOT_SERVICES_APPLICATION"]
hs_apps = [e["sha256"] for e in hs_events if e["pcr"] == 4 and e["type"] == "EV_EFI_BOOT_SERVICES_APPLICATION"]
check(sd_apps and sd_apps[-1] in hs_apps, f"PCR 4: the kernel's image digest {sd_apps[-1] if sd_apps else '?'} is in hotshim's log")

conf5 = [e for e in hs_events if e["pcr"] == 5 and e["type"] == "EV_EVENT_TAG"]
check(len(conf5) == 1 and conf5[0]["sha256"] == sha256(conf).hex(),
      "PCR 5: hotshim.conf, as one tagged event of its bytes")
