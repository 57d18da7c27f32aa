/* advdir from C: load a model, its exact outputs at a point, its exact exit along a ray
   with a certificate, the checker on that certificate; the max-margin separator and
   Theorem 4 on points in memory; a counterexample to a VNNLIB property decided exactly;
   and an error as a string. Usage: c_api MODEL DIR (certificates and the VNNLIB files go
   in DIR; MODEL has two inputs and one output). */
#include <advdir.h>

#include <stdio.h>
#include <string.h>

static int failed(char* error) {
  fprintf(stderr, "%s\n", error);
  advdir_free(error);
  return 1;
}

/* Prints "NAME JSON" and frees it; 1 when it failed. */
static int show(const char* name, char* json, char* error) {
  if (!json) return failed(error);
  printf("%s %s\n", name, json);
  advdir_free(json);
  return 0;
}

static void write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "w");
  if (f) fputs(text, f), fclose(f);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: c_api MODEL DIR\n");
    return 2;
  }
  char path[4096], property[4096], counterexample[4096];
  char* error = NULL;
  advdir_model* model = advdir_model_load(argv[1], NULL, &error);
  if (!model) {
    fprintf(stderr, "%s\n", error);
    advdir_free(error);
    return 2;
  }
  printf("advdir %s: %zu inputs, %zu outputs\n", advdir_version(), advdir_model_inputs(model), advdir_model_outputs(model));

  const char* x[] = {"1/2", "0.25"};
  const char* v[] = {"1", "0"};
  int label = 0;
  char** outputs = advdir_eval(model, x, &label, &error);
  if (!outputs) return failed(error);
  for (size_t m = 0; m < advdir_model_outputs(model); ++m) {
    printf("o%zu = %s\n", m, outputs[m]);
    advdir_free(outputs[m]);
  }
  advdir_free(outputs);
  printf("label %d\n", label);

  snprintf(path, sizeof path, "%s/ray.json", argv[2]);
  if (show("ray", advdir_ray(model, x, v, path, &error), error)) return 1;
  char* reason = NULL;
  const int valid = advdir_check(path, &reason, &error);
  printf("checker: %s\n", valid == 1 ? "valid" : valid == 0 ? reason : error);
  advdir_free(reason);

  /* (0, 0) labelled -1 against (2, 1) and (2, -1) */
  const char* X[] = {"0", "0", "2", "1", "2", "-1"};
  const int y[] = {-1, 1, 1};
  snprintf(path, sizeof path, "%s/separator.json", argv[2]);
  if (show("separator", advdir_separator(3, 2, X, y, path, &error), error)) return 1;
  snprintf(path, sizeof path, "%s/theorem4.json", argv[2]);
  if (show("theorem4", advdir_certify("theorem4", 3, 2, X, y, NULL, 0, path, &error), error)) return 1;

  /* "o < 0 on [0, 1]^2" and a tool's counterexample to it */
  snprintf(property, sizeof property, "%s/property.vnnlib", argv[2]);
  snprintf(counterexample, sizeof counterexample, "%s/counterexample.txt", argv[2]);
  write_file(property,
             "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n"
             "(assert (>= X_0 0))\n(assert (<= X_0 1))\n(assert (>= X_1 0))\n(assert (<= X_1 1))\n(assert (>= Y_0 0))\n");
  write_file(counterexample, "((X_0 1.0)\n (X_1 0)\n (Y_0 0.5))\n");
  snprintf(path, sizeof path, "%s/vnnlib.json", argv[2]);
  if (show("vnnlib", advdir_vnnlib_check(argv[1], property, counterexample, 0, path, &error), error)) return 1;

  const char* bad[] = {"1/2", "one quarter"};
  if (!advdir_eval(model, bad, &label, &error)) printf("error: %s\n", error);
  advdir_free(error);
  const char* xor_points[] = {"0", "0", "1", "1", "1", "0", "0", "1"};
  const int xor_labels[] = {1, 1, -1, -1};
  if (!advdir_certify("theorem4", 4, 2, xor_points, xor_labels, NULL, 0, path, &error)) printf("error: %s\n", error);
  advdir_free(error);
  advdir_model_free(model);
  return valid == 1 ? 0 : 1;
}
