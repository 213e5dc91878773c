"""The suite runs offline (issue 9): here, in subprocesses and in the Jupyter kernels that execute the lessons,
a connection to another machine fails at once, while loopback (pytest ↔ kernel, browser ↔ JupyterLab) works."""
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import nbformat
import pytest
from nbclient import NotebookClient

ADDRESSES = [("8.8.8.8", 53), ("1.1.1.1", 443), ("pypi.org", 443), ("2001:4860:4860::8888", 53)]
TRY_TO_CONNECT = """
import socket
for host, port in {addresses!r}:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.connect((host, port))
            print("CONNECTED", host)
        except OSError as error:
            print("refused" if "run offline" in str(error) else f"OTHER {{error!r}}")
"""


@pytest.mark.parametrize("host, port", ADDRESSES)
def test_connecting_to_another_machine_fails_at_once(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    start = time.perf_counter()
    with socket.socket(family, socket.SOCK_STREAM) as s, pytest.raises(ConnectionRefusedError, match="run offline"):
        s.connect((host, port))
    with socket.socket(family, socket.SOCK_STREAM) as s:
        assert s.connect_ex((host, port)) != 0
    assert time.perf_counter() - start < 1  # refused here, not a network timeout


def test_a_download_fails_with_the_offline_message():
    with pytest.raises(OSError, match="run offline"):
        urllib.request.urlopen("http://93.184.215.14/data.csv", timeout=5)


def test_loopback_still_works():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted = threading.Thread(target=lambda: server.accept()[0].sendall(b"hello"))
    accepted.start()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        assert client.recv(5) == b"hello"
    accepted.join()
    server.close()


def test_a_new_python_process_is_offline_too():
    result = subprocess.run([sys.executable, "-c", TRY_TO_CONNECT.format(addresses=ADDRESSES)],
                            capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split() == ["refused"] * len(ADDRESSES), result.stdout + result.stderr


def test_a_jupyter_kernel_like_nbvals_is_offline_too():
    """nbval starts kernels the same way (jupyter_client, this environment): they inherit PYTHONPATH."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TRY_TO_CONNECT.format(addresses=ADDRESSES))])
    NotebookClient(nb, kernel_name="python3", timeout=60).execute()
    (output,) = nb.cells[0].outputs
    assert output["text"].split() == ["refused"] * len(ADDRESSES)
