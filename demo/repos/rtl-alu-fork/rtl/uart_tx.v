// uart_tx.v - 8N1 UART transmitter.
// CLKS_PER_BIT = f_clk / baud (e.g. 50 MHz / 115200 = 434).
// Pulse tx_start for one cycle with tx_data valid; tx_busy stays high  
// until the stop bit has been sent.
module uart_tx #(
	parameter CLKS_PER_BIT = 434
) (
	input  wire       clk,  
	input  wire       rst_n,
	input  wire       tx_start,
	input  wire [7:0] tx_data,
	output reg        tx,
	output wire       tx_busy  
);

	localparam S_IDLE  = 2'd0;
	localparam S_START = 2'd1;
	localparam S_DATA  = 2'd2;  
	localparam S_STOP  = 2'd3;

	localparam CW = $clog2(CLKS_PER_BIT);

	reg [1:0]    state;  
	reg [CW-1:0] clk_cnt;
	reg [2:0]    bit_idx;
	reg [7:0]    shreg;

	wire bit_done = (clk_cnt == CLKS_PER_BIT - 1);  

	always @(posedge clk or negedge rst_n) begin
		if (!rst_n) begin
			state   <= S_IDLE;
			clk_cnt <= {CW{1'b0}};  
			bit_idx <= 3'd0;
			shreg   <= 8'h00;
			tx      <= 1'b1;
		end else begin
			clk_cnt <= bit_done ? {CW{1'b0}} : clk_cnt + 1'b1;  
			case (state)
				S_IDLE: begin
					tx      <= 1'b1;
					clk_cnt <= {CW{1'b0}};
					if (tx_start) begin  
						shreg <= tx_data;
						state <= S_START;
					end
				end
				S_START: begin  
					tx <= 1'b0;
					if (bit_done) begin
						bit_idx <= 3'd0;
						state   <= S_DATA;
					end  
				end
				S_DATA: begin
					tx <= shreg[0];
					if (bit_done) begin
						shreg   <= {1'b0, shreg[7:1]};  
						bit_idx <= bit_idx + 1'b1;
						if (bit_idx == 3'd7)
							state <= S_STOP;
					end
				end  
				S_STOP: begin
					tx <= 1'b1;
					if (bit_done)
						state <= S_IDLE;
				end  
			endcase
		end
	end

	assign tx_busy = (state != S_IDLE);  

endmodule
