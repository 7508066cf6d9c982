# Drives `fieldvault shell` on a pseudo-terminal for
# shell_and_concurrency::interactive_shell_relocks_and_confirms_on_the_terminal.
# Arguments: the binary, the vault, the passphrase.
import os, pty, sys, time, select
exe, vault, pw = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.environ.pop("FIELDVAULT_PASSPHRASE", None)
    os.execv(exe, [exe, "--vault", vault, "shell", "--idle-minutes", "0.03"])
out = b""
def pump(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try: out += os.read(fd, 4096)
            except OSError: return
def say(s, t=1.2):
    os.write(fd, (s + "\n").encode()); pump(t)
pump(1.5); say(pw, 1.5)
say('person add --name "Дина Ким"')
pump(2.5)
say("person list"); say(pw, 1.5)
say("person purge 1"); say("Respondent 1", 1.5)
say("exit")
sys.stdout.write(out.decode(errors="replace"))
