/*
 * main.c - LED chase on the STM32F4DISCOVERY board.
 *
 * Runs the core at 168 MHz from the PLL, uses SysTick as a 1 ms time base
 * and cycles the four user LEDs on GPIOD. If the HSE fails to start, the
 * board stays on HSI and blinks the red LED quickly instead.
 */
#include "stm32f4xx.h"
#include "board.h"

static volatile uint32_t g_ticks;

void SysTick_Handler(void)
{
    g_ticks++;
}

static void systick_init(uint32_t core_hz)
{
    SysTick->LOAD = ((core_hz / SYSTICK_HZ) - 1UL) & SysTick_LOAD_RELOAD_Msk;
    SysTick->VAL  = 0UL;
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE | SysTick_CTRL_TICKINT | SysTick_CTRL_ENABLE;
}

static void delay_ms(uint32_t ms)
{
    const uint32_t start = g_ticks;
    while ((g_ticks - start) < ms) {
        __WFI();
    }
}

static void leds_init(void)
{
    RCC->AHB1ENR |= RCC_AHB1ENR_GPIODEN;
    (void)RCC->AHB1ENR;  /* dummy read: wait for the clock to reach GPIOD */

    for (uint32_t pin = LED_GREEN; pin <= LED_BLUE; pin++) {
        GPIOD->MODER   = (GPIOD->MODER & ~(3UL << (pin * 2U))) | (GPIO_MODER_OUTPUT << (pin * 2U));
        GPIOD->OTYPER &= ~(1UL << pin);  /* push-pull */
        GPIOD->OSPEEDR = (GPIOD->OSPEEDR & ~(3UL << (pin * 2U))) | (GPIO_OSPEEDR_MEDIUM << (pin * 2U));
        GPIOD->PUPDR  &= ~(3UL << (pin * 2U));
    }
    GPIOD->BSRR = LED_MASK << 16;  /* all off */
}

static inline void led_only(uint32_t pin)
{
    /* BSRR: upper half resets, lower half sets; set wins if both. */
    GPIOD->BSRR = (LED_MASK << 16) | (1UL << pin);
}

int main(void)
{
    const int clock_ok = (system_clock_init() == 0);

    systick_init(SystemCoreClock);
    leds_init();
    __enable_irq();

    if (!clock_ok) {
        for (;;) {
            GPIOD->ODR ^= (1UL << LED_RED);
            delay_ms(100);
        }
    }

    uint32_t step = 0;
    for (;;) {
        led_only(LED_GREEN + (step % LED_COUNT));
        step++;
        delay_ms(250);
    }
}
