// The certify pipeline lives in the library (advdir/api/certify.hpp); the commands use it.
#pragma once
#include "advdir/api/certify.hpp"

namespace advdir::cli {

using api::classifiers_to_certify;
using api::dir_of;
using api::linear_theorems;
using api::separator_or_refuse;
using api::write_and_check;
using api::write_checked;

}  // namespace advdir::cli
