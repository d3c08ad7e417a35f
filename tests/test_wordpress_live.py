"""A live stock WordPress on 127.0.0.1 (Debian's `wordpress` package, theme twentytwentyone,
Indonesian locale, MariaDB, `php -S`), crawled end to end by the real spider.

The site is built for the test from tests/fixtures/realsoft/posts.json in a private root that
links to /usr/share/wordpress (no file outside the test's temporary folder is written) and a
database of its own, dropped afterwards. Skipped, with the reason, where PHP, its MySQL
extension, Debian's WordPress or MariaDB at 127.0.0.1:3306 are missing (.ci/run installs and
starts them when it can).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from crawler.extract.dates import zone
from crawler.storage import list_articles, open_database
from tests.portals.realsoft import FIXTURES

pytestmark = pytest.mark.e2e

WORDPRESS = Path("/usr/share/wordpress")
THEME = WORDPRESS / "wp-content" / "themes" / "twentytwentyone"
ROUTER = r"""<?php
define('ABSPATH', __ROOT__);
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/' && is_file(ABSPATH . $path) && !str_ends_with($path, '.php')) {
    return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
require ABSPATH . 'index.php';
"""


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realsoft_generate", FIXTURES / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def _missing() -> str | None:
    if shutil.which("php") is None:
        return "php is not installed (apt-get install php-cli php-mysql php-xml)"
    if not (WORDPRESS / "wp-settings.php").exists() or not THEME.is_dir():
        return "Debian's wordpress and wordpress-theme-twentytwentyone are not installed"
    if shutil.which("mysql") is None:
        return "the mysql client is not installed (mariadb-client)"
    probe = subprocess.run(["php", "-r", "exit(extension_loaded('mysqli') ? 0 : 1);"], check=False)
    if probe.returncode != 0:
        return "PHP has no mysqli extension (apt-get install php-mysql)"
    try:
        with socket.create_connection(("127.0.0.1", 3306), timeout=1):
            pass
    except OSError:
        return "MariaDB does not answer at 127.0.0.1:3306"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _mysql(sql: str) -> None:
    subprocess.run(["mysql", "-h", "127.0.0.1", "-uroot", "-e", sql], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def live_wordpress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    gen = _generator()
    tmp = tmp_path_factory.mktemp("wordpress")
    root, content = tmp / "root", tmp / "content"
    root.mkdir()
    for entry in WORDPRESS.iterdir():
        if entry.name not in ("wp-config.php", "wp-content"):
            (root / entry.name).symlink_to(entry)
    (content / "themes").mkdir(parents=True)
    (content / "themes" / "twentytwentyone").symlink_to(THEME)
    (content / "languages").symlink_to(WORDPRESS / "wp-content" / "languages")
    (content / "uploads").mkdir()
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    db = f"jajak_live_{uuid.uuid4().hex[:10]}"
    try:
        _mysql(f"CREATE DATABASE {db} CHARACTER SET utf8mb4")
    except subprocess.CalledProcessError as err:
        pytest.skip(f"cannot create a database as root at 127.0.0.1:3306: {err.stderr.decode().strip()}")
    (root / "wp-config.php").write_text(
        "<?php\n"
        f"define('DB_NAME', '{db}');\ndefine('DB_USER', 'root');\ndefine('DB_PASSWORD', '');\n"
        "define('DB_HOST', '127.0.0.1');\n$table_prefix = 'wp_';\n"
        f"define('WP_CONTENT_DIR', '{content}');\ndefine('WP_CONTENT_URL', '{origin}/wp-content');\n"
        f"define('WP_HOME', '{origin}');\ndefine('WP_SITEURL', '{origin}');\n"
        "define('DISABLE_WP_CRON', true);\ndefine('AUTOMATIC_UPDATER_DISABLED', true);\n"
        "define('WP_HTTP_BLOCK_EXTERNAL', true);\n"
        "require_once ABSPATH . 'wp-settings.php';\n"
    )
    (tmp / "router.php").write_text(ROUTER.replace("__ROOT__", repr(f"{root}/")))
    posts = json.loads((FIXTURES / "posts.json").read_text(encoding="utf-8"))["posts"]
    site = gen.SITES[0]  # twentytwentyone, date permalinks, Asia/Jakarta, "Judul – Situs"
    spec = {**site.__dict__, "posts": [{**p, "content": gen.wp_content(p)} for p in posts]}
    (tmp / "spec.json").write_text(json.dumps(spec))
    (tmp / "setup.php").write_text(gen.SETUP_PHP)
    server = None
    try:
        subprocess.run(["php", str(tmp / "setup.php"), f"127.0.0.1:{port}", str(tmp / "spec.json"), f"{root}/"],
                       check=True, capture_output=True, timeout=120, cwd=root)
        server = subprocess.Popen(["php", "-S", f"127.0.0.1:{port}", "-t", str(root), str(tmp / "router.php")],
                                  cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:  # the server is up when it answers
            try:
                with urllib.request.urlopen(origin + "/robots.txt", timeout=5):  # noqa: S310 - loopback
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("php -S did not start")
                with socket.socket() as sock:  # wait on the port, not on a clock
                    sock.settimeout(0.5)
                    sock.connect_ex(("127.0.0.1", port))
        yield origin
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        _mysql(f"DROP DATABASE IF EXISTS {db}")


def test_live_wordpress_is_crawled_completely(live_wordpress, crawl_env):
    posts = json.loads((FIXTURES / "posts.json").read_text(encoding="utf-8"))["posts"]
    crawl_env.add_source("wordpress", live_wordpress + "/", timezone="Asia/Jakarta")

    done = crawl_env.scrapy("crawl", "portal", "-a", "source=wordpress", timeout=300)

    assert done.returncode == 0, done.stderr[-3000:]
    sessions = open_database(crawl_env.database_url)
    with sessions() as session:
        stored = {re.sub(r"^.*/([^/]+)/$", r"\1", a.url): a for a in list_articles(session)}
    assert set(stored) == {p["slug"] for p in posts}, done.stderr[-3000:]
    for post in posts:
        got = stored[post["slug"]]
        paragraphs = [p for page in (post.get("pages") or [post["paragraphs"]]) for p in page]
        assert got.title == post["title"]
        assert got.published is not None
        assert got.published.astimezone(zone("Asia/Jakarta")).strftime("%Y-%m-%d %H:%M") == post["date"]
        assert got.text.split() == "\n\n".join(paragraphs).split()
