/*
 * board.h - STM32F4DISCOVERY (STM32F407VG) board definitions.
 * The four user LEDs sit on GPIOD pins 12..15 and are active high.
 */
#ifndef BOARD_H
#define BOARD_H

#include <stddef.h>
#include <stdint.h>

#define HSE_VALUE_HZ   8000000UL     /* on-board 8 MHz crystal (ST-LINK MCO) */
#define SYSCLK_HZ      168000000UL   /* PLL output after system_clock_init() */
#define SYSTICK_HZ     1000UL        /* 1 ms tick */

#define LED_GREEN      12U
#define LED_ORANGE     13U
#define LED_RED        14U
#define LED_BLUE       15U
#define LED_COUNT      4U

#define LED_MASK       ((1UL << LED_GREEN) | (1UL << LED_ORANGE) | \
                        (1UL << LED_RED) | (1UL << LED_BLUE))

extern uint32_t SystemCoreClock;

void     SystemInit(void);
int      system_clock_init(void);
uint32_t crc32(const void *data, size_t len);

#endif /* BOARD_H */
