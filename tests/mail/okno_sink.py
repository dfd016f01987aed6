"""The notification tests' SMTP server: aiosmtpd's Maildir handler, refusing any recipient
whose local part starts with "nobody" as a real server refuses an unknown mailbox
(550 5.1.1), so that the tests see a bounce."""

from aiosmtpd.handlers import Mailbox


class RefusingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("nobody"):
            return f"550 5.1.1 <{address}>: mailbox unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"
