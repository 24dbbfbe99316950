"""A real SMTP server on loopback for the end-to-end tests (aiosmtpd).

Usage: python3 sink.py PORT DIR [--hold-first SECONDS]

Each message is kept in DIR as N.eml, with its text part as N.txt and each attachment as
N-NAME. With --hold-first, the first message is kept and then the answer to its DATA is
held back for SECONDS (a mail server that is slow to confirm): a client stopped meanwhile
has delivered it without hearing so. Prints "ready" once it listens.
"""

import asyncio
import email
import email.policy
import pathlib
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder, hold_first):
        self.folder = folder
        self.hold = hold_first
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        n = self.count
        raw = envelope.original_content or envelope.content
        (self.folder / f"{n}.eml.part").write_bytes(raw)
        (self.folder / f"{n}.eml.part").rename(self.folder / f"{n}.eml")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        if body is not None:
            (self.folder / f"{n}.txt").write_text(body.get_content())
        for part in message.iter_attachments():
            name = part.get_filename() or "attachment"
            (self.folder / f"{n}-{name}").write_bytes(part.get_content())
        if n == 1 and self.hold:
            (self.folder / "holding").write_text("")
            await asyncio.sleep(self.hold)
        return "250 Message accepted for delivery"


def main():
    port, folder = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    hold = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--hold-first" else 0
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(folder, hold), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
