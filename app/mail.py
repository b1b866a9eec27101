"""E-mail: HTML and plain-text parts from templates/emails/, sent over SMTP (stdlib).

With no MAIL_SERVER configured (the embedded default) messages are written to instance/mail/
as .eml files instead, so a newcomer can read what would have been sent, and nothing leaves the
machine. Unsubscribe links carry a signed token that works without logging in.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from flask import current_app, render_template, url_for
from itsdangerous import BadSignature, URLSafeSerializer


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(user_id: int, scope: str) -> str:
    """A token that unsubscribes one member from one kind of e-mail ("all" for every kind)."""
    return _serializer().dumps({"u": user_id, "s": scope})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("s"), str):
        return None
    return data["u"], data["s"]


def build_message(to: str, name: str, template: str, scope: str, user_id: int, **context) -> EmailMessage:
    """Render templates/emails/<template>.{txt,html} into a multipart message with unsubscribe."""
    token = unsubscribe_token(user_id, scope)
    unsubscribe = url_for("notifications.unsubscribe", token=token, _external=True)
    context.update(unsubscribe_url=unsubscribe, name=name)
    message = EmailMessage()
    message["Subject"] = render_template(f"emails/{template}.subject.txt", **context).strip()
    message["From"] = formataddr(("AllThrive", current_app.config["MAIL_FROM"]))
    message["To"] = formataddr((name, to))
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].split("@")[-1])
    # RFC 8058 one-click unsubscribe for mail clients; the link in the body works too.
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(render_template(f"emails/{template}.txt", **context))
    message.add_alternative(render_template(f"emails/{template}.html", **context), subtype="html")
    return message


def send(message: EmailMessage) -> None:
    """Send through the configured SMTP server, or keep it in instance/mail/ when there is none."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        folder = Path(current_app.instance_path) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_")
        (folder / f"{name}.eml").write_bytes(bytes(message))
        return
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(message)
