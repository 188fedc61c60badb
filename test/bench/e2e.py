#!/usr/bin/env python3
"""make bench-e2e: the same Debian kernel, initrd and command line (KASLR
on), booted N times by four loaders on two machines whose node 1 is
hot-pluggable, side by side:

  stub         the kernel's own EFI stub, started from the UEFI shell
  systemd-boot Debian's systemd-boot-efi as BOOTX64.EFI with a loader entry
  grub         Debian's GRUB, a grub-mkstandalone image as BOOTX64.EFI
  hotshim      hotshim.efi as BOOTX64.EFI with hotshim.conf

Machines: "override" (two-nodes.args, node 1 hot-pluggable through the
initrd's SRAT override) and "firmware" (no -numa; the same SRAT installed
by the firmware with -acpitable).  The initramfs (test/linux/initramfs.sh)
offlines every block of node 1 and prints the counts.  Prints, per loader
and machine: boots where every block of node 1 went offline, blocks
offlined in total, and the median seconds from QEMU start to the
initramfs; for hotshim also its own time from entry to exiting boot
services, from the summary line it prints, as a share of that.  Figures, never a verdict: it exits 0 unless a boot breaks.

  test/bench/e2e.py [-n BOOTS] [--loaders a,b] [--machines a,b] [--hotshim EFI]
"""
import argparse
import importlib.util
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location("qemu_run", os.path.join(TOP, "tools/qemu-run.py"))
qr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(qr)

CMDLINE = "console=ttyS0 panic=-1 movable_node"
MACHINES = {
    "override": ("test/qemu/machines/two-nodes.args", True),
    "firmware": ("test/bench/fw-hotplug.args", False),
}
LOADERS = ["stub", "systemd-boot", "grub", "hotshim"]
HOTSHIM = "build/hotshim.efi"
START = re.compile(r"^hotshim-e2e: start$", re.M)
DONE = re.compile(r"^hotshim-e2e: done$", re.M)
NODE1 = re.compile(r"^hotshim-e2e: node 1 offlined (\d+) of (\d+) blocks$", re.M)
# hotshim's own time, entry to exiting boot services (efi/loaderif.c)
OWN = re.compile(r"^hotshim: .*; exiting boot services after (\d+\.\d) ms$", re.M)


def grub_image(tmp):
    cfg = os.path.join(tmp, "grub.cfg")
    with open(cfg, "w") as f:
        f.write("set timeout=0\nsearch --no-floppy --file --set=root /vmlinuz\n"
                "linux /vmlinuz %s\ninitrd /initrd.img\nboot\n" % CMDLINE)
    out = os.path.join(tmp, "grubx64.efi")
    subprocess.run(["grub-mkstandalone", "-O", "x86_64-efi", "-o", out,
                    "boot/grub/grub.cfg=" + cfg], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def esp_for(loader, tmp, initrd, grub):
    """(files, startup.nsh lines or None for no shell)"""
    files = [("build/linux/vmlinuz", "/vmlinuz"), (initrd, "/initrd.img")]
    if loader == "stub":
        return files, ["vmlinuz initrd=\\initrd.img " + CMDLINE]
    if loader == "systemd-boot":
        conf = os.path.join(tmp, "loader.conf")
        entry = os.path.join(tmp, "e2e.conf")
        with open(conf, "w") as f:
            f.write("default e2e.conf\ntimeout 0\n")
        with open(entry, "w") as f:
            f.write("title e2e\nlinux /vmlinuz\ninitrd /initrd.img\noptions %s\n" % CMDLINE)
        return files + [("/usr/lib/systemd/boot/efi/systemd-bootx64.efi", "/EFI/BOOT/BOOTX64.EFI"),
                        (conf, "/loader/loader.conf"), (entry, "/loader/entries/e2e.conf")], None
    if loader == "grub":
        return files + [(grub, "/EFI/BOOT/BOOTX64.EFI")], None
    conf = os.path.join(tmp, "hotshim.conf")
    with open(conf, "w") as f:
        f.write("command boot\nkernel \\vmlinuz\ninitrd \\initrd.img\ncmdline %s\n" % CMDLINE)
    return files + [(HOTSHIM, "/EFI/BOOT/BOOTX64.EFI"),
                    (conf, "/EFI/hotshim/hotshim.conf")], None


def one_boot(machine_args, files, shell, tmp, timeout=180):
    script = os.path.join(tmp, "startup.nsh")
    with open(script, "w", newline="") as f:
        f.write("\r\n".join(["@echo -off", "fs0:"] + (shell or [])) + "\r\n")
    img = os.path.join(tmp, "esp.img")
    qr.esp_image(img, files, script if shell else None)
    cmd = qr.qemu_cmd(machine_args, qr.OVMF_CODE, qr.OVMF_VARS, img, tmp)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    raw, started, keyed = b"", None, False
    while time.monotonic() - t0 < timeout:
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        if not r:
            if p.poll() is not None:
                break
            continue
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            break
        raw += chunk
        text = qr.clean(raw)
        if started is None and START.search(text):
            started = time.monotonic() - t0
        if DONE.search(text):
            break
        if not keyed and qr.COUNTDOWN in raw:
            keyed = True
            p.stdin.write(b"\r")
            p.stdin.flush()
    p.kill()
    p.wait()
    text = qr.clean(raw)
    m = NODE1.search(text)
    if started is None or not m:
        return None, text
    own = OWN.search(text)
    return (int(m.group(1)), int(m.group(2)), started, float(own.group(1)) if own else None), None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=int(os.environ.get("BOOTS", "20")))
    ap.add_argument("--loaders", default=",".join(LOADERS))
    ap.add_argument("--machines", default=",".join(MACHINES))
    ap.add_argument("--hotshim", default="build/hotshim.efi",
                    help="the hotshim.efi to boot (a variant build)")
    a = ap.parse_args()
    global HOTSHIM
    HOTSHIM = os.path.abspath(a.hotshim)
    os.chdir(TOP)
    tmp = tempfile.mkdtemp(prefix="hotshim-bench-")
    try:
        grub = grub_image(tmp)
        with open("build/linux/vmlinuz.version") as f:
            version = f.read().strip()
        print("bench-e2e: %s, %d boots per loader and machine, command line '%s'"
              % (version, a.n, CMDLINE))
        print("%-9s %-13s %13s %15s %14s" % ("machine", "loader", "all offline", "blocks offlined",
                                             "median to init"))
        for mname in a.machines.split(","):
            args, with_override = MACHINES[mname]
            initrd = os.path.join(tmp, "initrd-%s.img" % mname)
            with open(initrd, "wb") as out:
                if with_override:
                    out.write(open("build/initrd/srat-override.cpio", "rb").read())
                out.write(open("build/linux/e2e-initramfs.cpio", "rb").read())
            for loader in a.loaders.split(","):
                files, shell = esp_for(loader, tmp, initrd, grub)
                good, blocks, total, secs, broken, own = 0, 0, 0, [], 0, []
                for _ in range(a.n):
                    res, log = one_boot(args, files, shell, tmp)
                    if res is None:
                        broken += 1
                        with open(os.path.join(tmp, "..", "hotshim-bench-failed.log"), "w") as f:
                            f.write(log)
                        continue
                    ok, tot, t, ms = res
                    if ms is not None:
                        own.append(ms)
                    good += ok == tot and tot > 0
                    blocks += ok
                    total += tot
                    secs.append(t)
                med = "%.1f s" % statistics.median(secs) if secs else "-"
                print("%-9s %-13s %9d/%-3d %9d/%-5d %14s%s" % (
                    mname, loader, good, a.n, blocks, total, med,
                    "  (%d boots broke)" % broken if broken else ""), flush=True)
                if own and secs:
                    print("%-9s %-13s hotshim's own time, entry to exiting boot services: median "
                          "%.1f ms, %.2f%% of the median to init" % (
                              "", "", statistics.median(own),
                              statistics.median(own) / 10 / statistics.median(secs)), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
