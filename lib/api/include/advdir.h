/* advdir from C (and from any language with a C FFI), in the spirit of LIBLINEAR's
   linear.h: opaque handles, rationals in and out as strings ("-3/7", "0.125", "1e-3"),
   and no exceptions: a function that can fail returns NULL or -1 and, when `error` is
   not NULL, sets *error to a one-line message (the command line's) that the caller
   frees with advdir_free. Every string and array advdir returns is freed the same way.
   The functions are the ones the command line calls (advdir/api/). */
#ifndef ADVDIR_H
#define ADVDIR_H

#include <stddef.h>

#include "advdir/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, "MAJOR.MINOR.PATCH" (ADVDIR_VERSION is the header's). */
const char* advdir_version(void);

void advdir_free(void* p);

/* A model read exactly: .onnx (.onnx.gz), advdir JSON (every kind), .nnet, LIBLINEAR.
   format: "onnx", "json", "nnet", "liblinear", or NULL for the extension. */
typedef struct advdir_model advdir_model;
advdir_model* advdir_model_load(const char* path, const char* format, char** error);
void advdir_model_free(advdir_model* model);
size_t advdir_model_inputs(const advdir_model* model);
size_t advdir_model_outputs(const advdir_model* model);

/* The exact outputs at x (advdir_model_inputs(model) strings): an array of
   advdir_model_outputs(model) reduced rationals, freed with advdir_free (the array and
   each string), and the label in *label (the sign of one output, or the first index of
   the largest). NULL on error. */
char** advdir_eval(const advdir_model* model, const char* const* x, int* label, char** error);

/* The exact exit along x + c v, c > 0, as JSON text: adversarial, label_before,
   breakpoints, and c_exit, label_after, differs_at_exit when adversarial. With
   certificate_path not NULL, the ray certificate is written there (atomically) for
   `advdir check`. NULL on error. */
char* advdir_ray(const advdir_model* model, const char* const* x, const char* const* v, const char* certificate_path,
                 char** error);

/* Points in memory: n points of dimension d as n*d rationals, row by row, in X, and
   their labels (+1 / -1) in y. */

/* Lemma 3's exact max-margin separator of the points, or the Farkas certificate that none
   exists, as the certificate's JSON text (theorem "lemma3": w_star, b_star, margin_sq,
   support, alpha; or "farkas": support, lambda; the points inline). With
   certificate_path not NULL it is written there and verified by the checker. */
char* advdir_separator(size_t n, size_t d, const char* const* X, const int* y, const char* certificate_path, char** error);

/* advdir certify on the points: theorem "theorem4", "theorem5" or "corollary6" for the
   linear classifiers in the files `classifiers` (JSON or LIBLINEAR; none: w* itself), or
   "theorem15" for the one relu2 net (JSON) in them, x_alpha and x_beta searched. The
   certificate is written to certificate_path and verified by the checker; the answer is
   JSON: {"certified", "rejected", "margin_sq", "valid"}, or for theorem15 {"alpha",
   "beta", "D", "points": [{"point", "K", "c_bound", "c_exit", "differs_at_exit"}],
   "valid"}. NULL on error, or when the hypotheses fail (S not separable, a net outside R'). */
char* advdir_certify(const char* theorem, size_t n, size_t d, const char* const* X, const int* y, const char* const* classifiers,
                     size_t n_classifiers, const char* certificate_path, char** error);

/* advdir vnnlib check: a counterexample file to a VNNLIB property decided exactly on the
   net (ONNX, JSON, .nnet), as the JSON `advdir vnnlib check --json` prints ("counterexample",
   "inside_region", "outputs", ...). float32 != 0 rounds each X_i to the nearest float32
   first. With certificate_path not NULL and an exact counterexample, its certificate is
   written there and verified. NULL on error. */
char* advdir_vnnlib_check(const char* net, const char* property, const char* counterexample, int float32,
                          const char* certificate_path, char** error);

/* The independent checker on a certificate file: 1 valid, 0 not (the reason in *reason,
   when not NULL, freed with advdir_free), -1 when it cannot be read at all (*error). */
int advdir_check(const char* path, char** reason, char** error);

#ifdef __cplusplus
}
#endif

#endif /* ADVDIR_H */
