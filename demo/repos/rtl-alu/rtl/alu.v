// alu.v - parameterized combinational ALU with zero/carry/overflow flags.
// Opcodes are defined in defines.vh. Shift amount comes from the low
// $clog2(WIDTH) bits of operand b.
`include "defines.vh"

module alu #(
    parameter WIDTH = 32
) (
    input  wire [`ALU_OP_WIDTH-1:0] op,
    input  wire [WIDTH-1:0]         a,
    input  wire [WIDTH-1:0]         b,
    output reg  [WIDTH-1:0]         y,
    output wire                     zero,
    output reg                      carry,
    output reg                      overflow
);

    localparam SHW = $clog2(WIDTH);

    wire [SHW-1:0] shamt = b[SHW-1:0];
    wire [WIDTH:0] sum   = {1'b0, a} + {1'b0, b};
    wire [WIDTH:0] diff  = {1'b0, a} - {1'b0, b};

    always @(*) begin
        y        = {WIDTH{1'b0}};
        carry    = 1'b0;
        overflow = 1'b0;
        case (op)
            `ALU_OP_ADD: begin
                y        = sum[WIDTH-1:0];
                carry    = sum[WIDTH];
                overflow = (a[WIDTH-1] == b[WIDTH-1]) && (y[WIDTH-1] != a[WIDTH-1]);
            end
            `ALU_OP_SUB: begin
                y        = diff[WIDTH-1:0];
                carry    = diff[WIDTH];  // borrow
                overflow = (a[WIDTH-1] != b[WIDTH-1]) && (y[WIDTH-1] != a[WIDTH-1]);
            end
            `ALU_OP_AND:   y = a & b;
            `ALU_OP_OR:    y = a | b;
            `ALU_OP_XOR:   y = a ^ b;
            `ALU_OP_SLL:   y = a << shamt;
            `ALU_OP_SRL:   y = a >> shamt;
            `ALU_OP_SRA:   y = $signed(a) >>> shamt;
            `ALU_OP_SLT:   y = {{(WIDTH-1){1'b0}}, $signed(a) < $signed(b)};
            `ALU_OP_SLTU:  y = {{(WIDTH-1){1'b0}}, a < b};
            `ALU_OP_PASSB: y = b;
            default:       y = {WIDTH{1'b0}};
        endcase
    end

    assign zero = (y == {WIDTH{1'b0}});

endmodule
