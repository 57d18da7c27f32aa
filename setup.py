"""The advdir Python package built by CMake: `pip install --no-build-isolation .` configures
the project (tests, libtorch and the Coq checker off) in build-python/, or in
$ADVDIR_BUILD_DIR when set (an existing build, reused), builds the native module _advdir
there and packages it with python/advdir/."""
import os
import re
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def version():
    """The project's version, from CMakeLists.txt's project() (one place for it)."""
    match = re.search(r"project\(advdir VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text())
    return match.group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = Path(os.environ.get("ADVDIR_BUILD_DIR", ROOT / "build-python")).resolve()
        if not (build / "CMakeCache.txt").exists():
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                            "-DADVDIR_TESTS=OFF", "-DADVDIR_TORCH=OFF", "-DADVDIR_VCHECK=OFF",
                            f"-DPYTHON_EXECUTABLE={sys.executable}"], check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "_advdir"], check=True)
        built = sorted((build / "python" / "advdir").glob("_advdir*.so"))
        if not built:
            raise RuntimeError(f"{build}: cmake built no _advdir module")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        self.copy_file(str(built[0]), str(target))


setup(
    version=version(),
    packages=["advdir"],
    package_dir={"advdir": "python/advdir"},
    ext_modules=[Extension("advdir._advdir", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
