"""The tests run offline: a socket connection to any address but this machine's own (loopback) fails.

Python runs a file named sitecustomize at start-up when its folder is on PYTHONPATH. tests/conftest.py
loads it into the test process and puts this folder on PYTHONPATH, so every Jupyter kernel that nbval or
the browser tests start is offline too: a lesson that tried to download anything would fail its test.
Loopback stays open because pytest talks to its kernels, and the browser to JupyterLab, over it.
"""
import errno
import ipaddress
import socket


class NetworkBlocked(ConnectionRefusedError):
    """Raised instead of connecting to another machine."""


def is_loopback(host):
    """True for localhost, 127.x.x.x and ::1."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:  # any other host name would need the network to resolve
        return False


def _refuse(sock, address):
    """Raise if `sock` is an internet socket about to reach another machine."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(str(address[0])):
        raise NetworkBlocked(errno.ECONNREFUSED, f"the tests run offline: connection to {address[0]}:{address[1]} "
                             "refused (no lesson or test may use the network)")


def block_network():
    """Make socket.connect and connect_ex refuse non-loopback addresses (in this process)."""
    if getattr(socket.socket.connect, "offline", False):
        return
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guarded_connect(self, address):
        _refuse(self, address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        try:
            _refuse(self, address)
        except NetworkBlocked:
            return errno.ECONNREFUSED
        return connect_ex(self, address)

    guarded_connect.offline = guarded_connect_ex.offline = True
    socket.socket.connect, socket.socket.connect_ex = guarded_connect, guarded_connect_ex


block_network()
