// advdir from C++, in one include: the version, the model loader and the queries the
// command line answers (api/), the exact layer's graphs and rays, the separator, the
// certificates and the independent checker.
#pragma once
#include "advdir/api/certify.hpp"
#include "advdir/api/models.hpp"
#include "advdir/api/queries.hpp"
#include "advdir/api/theorems.hpp"
#include "advdir/api/vnnlib.hpp"
#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/graph.hpp"
#include "advdir/version.h"
