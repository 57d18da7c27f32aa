#include "one_blas_thread.hpp"

#include <dlfcn.h>

namespace advdir::bridge {
namespace {

// OpenBLAS's own entry points, found where it is loaded: in the program's global scope, or
// (a Python module's libraries are loaded locally) by its soname, without loading it.
void* openblas_symbol(const char* name) {
  if (void* f = dlsym(RTLD_DEFAULT, name)) return f;
  void* lib = dlopen("libopenblas.so.0", RTLD_LAZY | RTLD_NOLOAD);
  if (!lib) return nullptr;
  void* f = dlsym(lib, name);
  dlclose(lib);  // only the reference NOLOAD took: the library stays loaded
  return f;
}

}  // namespace

OneBlasThread::OneBlasThread() {
  auto get = reinterpret_cast<int (*)()>(openblas_symbol("openblas_get_num_threads"));
  set_ = reinterpret_cast<void (*)(int)>(openblas_symbol("openblas_set_num_threads"));
  if (!get || !set_) {
    set_ = nullptr;
    return;
  }
  before_ = get();
  set_(1);
}

OneBlasThread::~OneBlasThread() {
  if (set_) set_(before_);
}

}  // namespace advdir::bridge
