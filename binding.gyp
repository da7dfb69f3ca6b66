{
  "targets": [
    {
      "target_name": "tree_sitter_verilog_napi",
      "include_dirs": ["node_modules/tree-sitter-verilog/src"],
      "sources": ["annotate/native/verilog-language.c", "node_modules/tree-sitter-verilog/src/parser.c"],
      "cflags_c": ["-std=c11"]
    }
  ]
}
