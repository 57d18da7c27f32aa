/* advdir from C: load a model, its exact outputs at a point, its exact exit along a ray
   with a certificate, the checker on that certificate, and an error as a string.
   Usage: c_api MODEL CERTIFICATE_OUT */
#include <advdir.h>

#include <stdio.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: c_api MODEL CERTIFICATE_OUT\n");
    return 2;
  }
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
  if (!outputs) return fprintf(stderr, "%s\n", error), 1;
  for (size_t m = 0; m < advdir_model_outputs(model); ++m) {
    printf("o%zu = %s\n", m, outputs[m]);
    advdir_free(outputs[m]);
  }
  advdir_free(outputs);
  printf("label %d\n", label);

  char* ray = advdir_ray(model, x, v, argv[2], &error);
  if (!ray) return fprintf(stderr, "%s\n", error), 1;
  printf("ray %s\n", ray);
  advdir_free(ray);

  char* reason = NULL;
  const int valid = advdir_check(argv[2], &reason, &error);
  printf("checker: %s\n", valid == 1 ? "valid" : valid == 0 ? reason : error);
  advdir_free(reason);

  const char* bad[] = {"1/2", "one quarter"};
  if (!advdir_eval(model, bad, &label, &error)) printf("error: %s\n", error);
  advdir_free(error);
  advdir_model_free(model);
  return valid == 1 ? 0 : 1;
}
