/* The built-in lexicon and the traditional-to-simplified table, compiled
 * by gk_lexgen when gongkai is built and embedded here so that the program
 * needs no data files (and no transliterator) at run time. */
#if !defined(GK_LEXICON_BIN) || !defined(GK_CHARMAP_BIN)
#error "GK_LEXICON_BIN and GK_CHARMAP_BIN must name the compiled files"
#endif

__asm__(".section .rodata\n"
        ".balign 16\n"
        ".globl gk_tok__lexicon_data\n"
        ".type gk_tok__lexicon_data, @object\n"
        "gk_tok__lexicon_data:\n"
        ".incbin \"" GK_LEXICON_BIN "\"\n"
        ".globl gk_tok__lexicon_end\n"
        ".type gk_tok__lexicon_end, @object\n"
        "gk_tok__lexicon_end:\n"
        ".byte 0\n"
        ".balign 16\n"
        ".globl gk_tok__charmap_data\n"
        ".type gk_tok__charmap_data, @object\n"
        "gk_tok__charmap_data:\n"
        ".incbin \"" GK_CHARMAP_BIN "\"\n"
        ".globl gk_tok__charmap_end\n"
        ".type gk_tok__charmap_end, @object\n"
        "gk_tok__charmap_end:\n"
        ".byte 0\n"
        ".previous\n");
