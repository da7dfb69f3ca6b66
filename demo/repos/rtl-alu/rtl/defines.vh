// defines.vh - shared opcode and width definitions for the ALU datapath.
// Included by rtl/alu.v; keep encodings in sync with tb/tb_alu.sv.
`ifndef ALU_DEFINES_VH
`define ALU_DEFINES_VH

`define ALU_OP_WIDTH 4

`define ALU_OP_ADD  4'h0
`define ALU_OP_SUB  4'h1
`define ALU_OP_AND  4'h2
`define ALU_OP_OR   4'h3
`define ALU_OP_XOR  4'h4
`define ALU_OP_SLL  4'h5
`define ALU_OP_SRL  4'h6
`define ALU_OP_SRA  4'h7
`define ALU_OP_SLT  4'h8
`define ALU_OP_SLTU 4'h9
`define ALU_OP_PASSB 4'hA

`endif
