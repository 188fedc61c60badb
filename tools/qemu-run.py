#!/usr/bin/env python3
"""Boot OVMF in QEMU, run commands from the UEFI shell, capture the serial log.

Builds a FAT ESP image with mtools (no loop mounts), writes a startup.nsh
that runs each --cmd between marker lines and records the shell's
%lasterror% after it, then powers off with `reset -s`.  The shell's 5 s
startup.nsh countdown is skipped by sending a key when it is announced.
"""
import argparse
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>c]")
COUNTDOWN = b"any other key to continue"


def esp_image(path, files, script, label="HOTSHIM"):
    with open(path, "wb") as f:
        f.truncate(64 * 1024 * 1024)
    run(["mformat", "-i", path, "-v", label, "::"])
    made = set()
    for src, dest in files + ([(script, "/startup.nsh")] if script else []):
        parts = dest.strip("/").split("/")
        for i in range(1, len(parts)):
            d = "::/" + "/".join(parts[:i])
            if d not in made:
                subprocess.run(["mmd", "-i", path, d], stderr=subprocess.DEVNULL)
                made.add(d)
        run(["mcopy", "-o", "-i", path, src, "::/" + "/".join(parts)])


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.exit("qemu-run: %s failed: %s" % (cmd[0], r.stdout.decode(errors="replace")))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--machine", required=True, help="file of machine QEMU options")
    ap.add_argument("--esp", action="append", default=[], metavar="SRC:DEST")
    ap.add_argument("--cmd", action="append", default=[], help="shell command line")
    ap.add_argument("--bare", action="store_true",
                    help="run the commands from the shell's first prompt (Shell>), "
                    "without changing to fs0: first")
    ap.add_argument("--pre", action="append", default=[],
                    help="script line before the commands, unmarked (e.g. 'fs1:', 'cd sub')")
    ap.add_argument("--disk2", action="append", default=[], metavar="SRC:DEST",
                    help="a file on a second FAT disk (no startup.nsh on it)")
    ap.add_argument("--vars-file", help="use and keep this variable store (made from "
                    "--vars when missing), as a real machine keeps its NVRAM")
    ap.add_argument("--esp-image", help="use and keep this ESP image (made from --esp "
                    "and the commands when missing), as a real disk keeps its files")
    ap.add_argument("--send", action="append", default=[], metavar="REGEX=KEYS",
                    help="type KEYS on the serial console once REGEX has appeared "
                    "(in order; Python escapes: \\r, \\x1b[B)")
    ap.add_argument("--no-shell", action="store_true",
                    help="no startup.nsh: let the firmware boot \\EFI\\BOOT\\BOOTX64.EFI")
    ap.add_argument("--log", help="write the serial log (escapes and CRs removed) here")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--only-commands", action="store_true",
                    help="show only what the commands print, not the firmware")
    ap.add_argument("--code", default=OVMF_CODE)
    ap.add_argument("--vars", default=OVMF_VARS, help="template; each run gets a fresh copy")
    ap.add_argument("--extra", default="", help="more QEMU options")
    ap.add_argument("--until", help="stop QEMU once the serial log matches this regex "
                    "(exit status 0), for boots that never power off by themselves")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="hotshim-qemu-")
    try:
        files = [split_spec(spec) for spec in a.esp]
        script = os.path.join(tmp, "startup.nsh")
        lines = ["@echo -off"] + ([] if a.bare else ["fs0:"]) + a.pre
        for i, c in enumerate(a.cmd):
            lines += ['echo "hotshim-run: begin %d"' % i, c,
                      'echo "hotshim-run: status %d %%lasterror%%"' % i]
        lines += ['echo "hotshim-run: end"', "reset -s"]
        with open(script, "w", newline="") as f:
            f.write("\r\n".join(lines) + "\r\n")
        img = a.esp_image or os.path.join(tmp, "esp.img")
        if not a.esp_image or not os.path.exists(img):
            esp_image(img, files, None if a.no_shell else script)
        cmd = qemu_cmd(a.machine, a.code, a.vars, img, tmp, a.vars_file)
        if a.disk2:
            img2 = os.path.join(tmp, "disk2.img")
            esp_image(img2, [split_spec(d) for d in a.disk2], None, "SECOND")
            cmd += ["-drive", "format=raw,file=" + img2]
        cmd += shlex.split(a.extra)
        return boot(cmd, a)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def split_spec(spec):
    src, _, dest = spec.partition(":")
    return src, dest or "/" + os.path.basename(src)


def qemu_cmd(machine_file, code, vars_template, img, tmp, vars_file=None):
    """QEMU's command line for a machine file, firmware and ESP image; the
    variable store is vars_file (made from the template when missing) or
    a fresh copy in tmp."""
    vars_copy = vars_file or os.path.join(tmp, "vars.fd")
    if not vars_file or not os.path.exists(vars_file):
        shutil.copyfile(vars_template, vars_copy)
    with open(machine_file) as f:
        machine = shlex.split(f.read(), comments=True)
    return (["qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-cpu", "max"]
            + machine
            + ["-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + code,
               "-drive", "if=pflash,format=raw,unit=1,file=" + vars_copy,
               "-drive", "format=raw,file=" + img,
               "-display", "none", "-serial", "stdio", "-monitor", "none",
               "-no-reboot", "-net", "none"])


def boot(cmd, a):
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    raw = b""
    until = re.compile(a.until, re.M) if a.until else None
    reached = False
    shown = Shown(a)
    keyed = False
    sends, sent_at = [], 0  # each REGEX is looked for after the last one's match
    for spec in a.send:
        rx, _, keys = spec.partition("=")
        sends.append((re.compile(rx, re.M), keys.encode().decode("unicode_escape").encode("latin-1")))
    timed_out = False
    while True:
        left = a.timeout - (time.monotonic() - start)
        if left <= 0:
            timed_out = True
            p.kill()
            break
        r, _, _ = select.select([p.stdout], [], [], min(left, 0.5))
        if not r:
            if p.poll() is not None:
                break
            continue
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            break
        raw += chunk
        shown.feed(clean(chunk))
        if until and until.search(clean(raw)):
            p.kill()
            p.wait()
            reached = True
            break
        while sends:
            m = sends[0][0].search(clean(raw), sent_at)
            if not m:
                break
            sent_at = m.end()
            try:
                p.stdin.write(sends.pop(0)[1])
                p.stdin.flush()
            except BrokenPipeError:
                pass
        if not keyed and COUNTDOWN in raw:
            keyed = True
            try:
                p.stdin.write(b"\r")
                p.stdin.flush()
            except BrokenPipeError:
                pass
    rc = 0 if reached else p.wait()
    text = clean(raw)
    if a.log:
        with open(a.log, "w") as f:
            f.write(text)
    secs = time.monotonic() - start
    if timed_out:
        print("qemu-run: timed out after %.0f s" % a.timeout, file=sys.stderr)
        return 124
    if not a.quiet and not a.only_commands:
        print("\nqemu-run: QEMU exited %d after %.1f s" % (rc, secs), file=sys.stderr)
    elif a.only_commands and reached:
        print("run: done after %.1f s" % secs)
    elif a.only_commands and rc == 0:
        print("run: QEMU powered off after %.1f s" % secs)
    elif a.only_commands:
        # what QEMU itself said (a missing file, a bad option) is never
        # command output: show it, or the failure would be silent
        for line in text.splitlines():
            if line.startswith("qemu-system") or line.startswith("qemu:"):
                print(line)
        print("run: QEMU exited %d after %.1f s" % (rc, secs))
    return rc


class Shown:
    """Echoes the serial console live: everything, or only command output."""
    BEGIN = re.compile(r"^hotshim-run: begin \d+$")
    STATUS = re.compile(r"^hotshim-run: status \d+ (\S+)$")

    def __init__(self, a):
        self.a = a
        self.inside = False
        self.partial = ""

    def feed(self, text):
        if self.a.quiet:
            return
        if not self.a.only_commands:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        self.partial += text
        *lines, self.partial = self.partial.split("\n")
        for line in lines:
            if self.BEGIN.match(line):
                self.inside = True
                n = int(line.split()[-1])
                if n < len(self.a.cmd):
                    print("Shell> " + self.a.cmd[n])
            elif self.STATUS.match(line):
                self.inside = False
                st = self.STATUS.match(line).group(1)
                if st != "0x0":
                    print("run: the command returned EFI status %s" % st)
            elif self.inside:
                print(line)
        sys.stdout.flush()


def clean(b):
    return ANSI.sub(b"", b).replace(b"\r", b"").decode("latin-1")


if __name__ == "__main__":
    sys.exit(main())
