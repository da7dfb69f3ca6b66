/*
 * tree-sitter-verilog's grammar as a Node-API addon (context-aware), so every
 * worker thread can load it. The npm package (1.0.0, the latest) ships a
 * nan-era binding registered with NODE_MODULE: its registration runs once, in
 * the shared object's static constructor at the first dlopen, so a second
 * thread's require() finds the library already loaded, nothing registers, and
 * Node reports "Module did not self-register". NAPI_MODULE_INIT registers per
 * environment instead. The object has the shape node-tree-sitter 0.25 expects
 * of a modern grammar: { name, language: External<TSLanguage*> } with the
 * language type tag.
 */
#include <node_api.h>

typedef struct TSLanguage TSLanguage;
extern const TSLanguage *tree_sitter_verilog(void);

/* node-tree-sitter's tag for language externals ("tree-sitter", "language" hashed with BLAKE2). */
static const napi_type_tag LANGUAGE_TYPE_TAG = {0x8AF2E5212AD58ABFULL, 0xD5006CAD83ABBA16ULL};

NAPI_MODULE_INIT() {
  napi_value language;
  napi_value name;
  if (napi_create_external(env, (void *)tree_sitter_verilog(), NULL, NULL, &language) != napi_ok) return NULL;
  if (napi_type_tag_object(env, language, &LANGUAGE_TYPE_TAG) != napi_ok) return NULL;
  if (napi_create_string_utf8(env, "verilog", NAPI_AUTO_LENGTH, &name) != napi_ok) return NULL;
  napi_set_named_property(env, exports, "language", language);
  napi_set_named_property(env, exports, "name", name);
  return exports;
}
