/**
 * The default bot's script: edit this file to change what the bot says. Placeholders in braces
 * ({name}, {count}, {text}, {latitude}, {longitude}, {place}) are filled in by lambda/bot.ts.
 * `BOT_LANGUAGE` (es by default, or en) picks the script.
 */

/** One numbered menu entry. */
export interface MenuOption {
  /** Stable id; a button whose payload equals it selects this option. */
  id: string;
  /** The label shown in the menu. */
  label: string;
  /** The answer sent when the user picks it. */
  answer: string;
  /** Optional image or document sent with the answer (a public https URL). */
  mediaUrl?: string;
  /** True for the "talk to a person" entry: the answer is the hand-off message. */
  handoff?: boolean;
}

/** A set of words and the answer they trigger. */
export interface KeywordAnswer {
  /** Words or short phrases, written without accents; matched on whole words. */
  words: string[];
  /** The reply. */
  answer: string;
}

/**
 * Consent keywords and their confirmations. A keyword counts only as the whole message (any case,
 * accents and punctuation ignored), so "el precio es alto" is not an opt-out. Opt-in words act only
 * while the user is opted out; otherwise they reach the bot like any text (English "start" is also
 * a menu word).
 */
export interface ConsentScript {
  /** Words that stop every message to the user. */
  optOutWords: string[];
  /** Words that resume them. */
  optInWords: string[];
  /** Sent once when the user opts out: the last message they get until they opt in. */
  optedOut: string;
  /** Sent once when the user opts back in. */
  optedIn: string;
}

/** A reply with separate singular and plural forms. */
export interface Countable {
  /** Used for one item. */
  one: string;
  /** Used for several; `{count}` is the number. */
  many: string;
}

/** Everything the default bot says in one language. */
export interface BotScript {
  /** Opening line for a new conversation; `{name}` is the profile name (or empty). */
  greeting: string;
  /** Words that bring the menu back. */
  menuWords: string[];
  /** The line above the numbered options. */
  menuIntro: string;
  /** The line below them. */
  menuFooter: string;
  /** The numbered options, in order (1, 2, 3...). */
  options: MenuOption[];
  /** Words that ask for a human. */
  handoffWords: string[];
  /** Opt-out and opt-in keywords and confirmations, in this script's language. */
  consent: ConsentScript;
  /** Free-text keyword answers, checked after the menu and hand-off. */
  keywords: KeywordAnswer[];
  /**
   * Acknowledgement of each media kind; `mixed` ({count}) for attachments of different kinds. The
   * last three answer an attachment the stack did not keep: over the size limit, of a type not
   * allowed, or not copied in time (lambda/media).
   */
  media: {
    image: Countable;
    audio: Countable;
    video: Countable;
    document: Countable;
    mixed: string;
    tooLarge: string;
    typeNotAllowed: string;
    notStored: string;
  };
  /** Acknowledgement of a shared location. */
  location: string;
  /** Suffix naming the place, when the location has a label or address. */
  locationPlace: string;
  /** Reply to a button whose payload matches no option. */
  button: string;
  /** Reply to a kind of message the bot cannot read. */
  unsupported: string;
  /** Reply to text that matches nothing. */
  notUnderstood: string;
  /** Sent when the bot itself fails. */
  error: string;
}

/** Languages the default bot speaks. */
export type Language = "es" | "en";

const es: BotScript = {
  greeting: "¡Hola{name}! Soy el asistente virtual. ¿En qué te puedo ayudar?",
  menuWords: ["menu", "hola", "buenas", "buenos dias", "buenas tardes", "inicio", "ayuda"],
  menuIntro: "Elige una opción respondiendo con su número:",
  menuFooter: "Escribe *menú* en cualquier momento para volver aquí.",
  options: [
    {
      id: "hours",
      label: "Horario de atención",
      answer: "Atendemos de lunes a viernes de 9:00 a 18:00 y los sábados de 10:00 a 14:00.",
    },
    {
      id: "location",
      label: "Dónde estamos",
      answer: "Estamos en Calle Mayor 1, Madrid. ¡Te esperamos!",
    },
    {
      id: "prices",
      label: "Precios",
      answer:
        "Nuestros planes empiezan en 10 € al mes. Escribe *4* si quieres una oferta a medida.",
    },
    {
      id: "agent",
      label: "Hablar con una persona",
      answer: "Te paso con una persona del equipo. Te responderemos aquí en cuanto sea posible.",
      handoff: true,
    },
  ],
  handoffWords: ["persona", "humano", "agente", "asesor", "operador", "hablar con alguien"],
  consent: {
    // STOP is listed in both languages: a Spanish bot confirms it in Spanish.
    optOutWords: ["baja", "alto", "cancelar", "stop"],
    optInWords: ["alta"],
    optedOut:
      "Has dejado de recibir mensajes nuestros. Escribe *ALTA* si quieres volver a recibirlos.",
    optedIn:
      "¡Bienvenido de nuevo! Vuelves a recibir nuestros mensajes. Escribe *menú* para empezar.",
  },
  keywords: [
    {
      words: ["horario", "hora", "abierto", "abren", "cierran"],
      answer: "Atendemos de lunes a viernes de 9:00 a 18:00 y los sábados de 10:00 a 14:00.",
    },
    {
      words: ["precio", "precios", "cuesta", "tarifa", "cuanto"],
      answer: "Nuestros planes empiezan en 10 € al mes.",
    },
    { words: ["gracias"], answer: "¡A ti! Si necesitas algo más, escribe *menú*." },
    { words: ["adios", "chao", "hasta luego"], answer: "¡Hasta pronto! 👋" },
  ],
  media: {
    image: {
      one: "¡Gracias! Recibimos tu imagen.",
      many: "¡Gracias! Recibimos tus {count} imágenes.",
    },
    audio: {
      one: "¡Gracias! Recibimos tu audio.",
      many: "¡Gracias! Recibimos tus {count} audios.",
    },
    video: {
      one: "¡Gracias! Recibimos tu vídeo.",
      many: "¡Gracias! Recibimos tus {count} vídeos.",
    },
    document: {
      one: "¡Gracias! Recibimos tu documento.",
      many: "¡Gracias! Recibimos tus {count} documentos.",
    },
    mixed: "¡Gracias! Recibimos tus {count} archivos.",
    tooLarge:
      "Lo siento, tu archivo es demasiado grande para recibirlo por aquí. ¿Puedes enviar uno más pequeño?",
    typeNotAllowed:
      "Lo siento, no podemos recibir este tipo de archivo. Envíalo como imagen, PDF, audio o vídeo.",
    notStored: "Lo siento, no pudimos guardar tu archivo. ¿Puedes enviarlo de nuevo en un momento?",
  },
  location: "¡Gracias por compartir tu ubicación ({latitude}, {longitude}){place}!",
  locationPlace: ": {place}",
  button: "Elegiste «{text}». Escribe *menú* para ver todas las opciones.",
  unsupported: "Todavía no sé leer este tipo de mensaje. Escribe *menú* para ver las opciones.",
  notUnderstood: "No te he entendido.",
  error: "Lo siento, algo salió mal. Inténtalo de nuevo en unos minutos.",
};

const en: BotScript = {
  greeting: "Hi{name}! I'm the virtual assistant. How can I help?",
  menuWords: ["menu", "hi", "hello", "hey", "start", "help"],
  menuIntro: "Pick an option by replying with its number:",
  menuFooter: "Type *menu* at any time to come back here.",
  options: [
    {
      id: "hours",
      label: "Opening hours",
      answer: "We're open Monday to Friday 9:00-18:00 and Saturday 10:00-14:00.",
    },
    {
      id: "location",
      label: "Where we are",
      answer: "We're at Calle Mayor 1, Madrid. See you soon!",
    },
    {
      id: "prices",
      label: "Prices",
      answer: "Our plans start at €10 a month. Type *4* if you'd like a tailored offer.",
    },
    {
      id: "agent",
      label: "Talk to a person",
      answer: "I'm handing you over to a person on our team. We'll reply here as soon as we can.",
      handoff: true,
    },
  ],
  handoffWords: ["person", "human", "agent", "someone", "representative", "operator"],
  consent: {
    optOutWords: ["stop", "unsubscribe"],
    optInWords: ["start", "subscribe"],
    optedOut: "You won't get any more messages from us. Reply *START* to receive them again.",
    optedIn: "Welcome back! You'll receive our messages again. Type *menu* to begin.",
  },
  keywords: [
    {
      words: ["hours", "open", "opening", "close"],
      answer: "We're open Monday to Friday 9:00-18:00 and Saturday 10:00-14:00.",
    },
    { words: ["price", "prices", "cost", "how much"], answer: "Our plans start at €10 a month." },
    {
      words: ["thanks", "thank you"],
      answer: "You're welcome! Type *menu* if you need anything else.",
    },
    { words: ["bye", "goodbye"], answer: "See you soon! 👋" },
  ],
  media: {
    image: { one: "Thanks! We got your image.", many: "Thanks! We got your {count} images." },
    audio: {
      one: "Thanks! We got your audio.",
      many: "Thanks! We got your {count} audio messages.",
    },
    video: { one: "Thanks! We got your video.", many: "Thanks! We got your {count} videos." },
    document: {
      one: "Thanks! We got your document.",
      many: "Thanks! We got your {count} documents.",
    },
    mixed: "Thanks! We got your {count} files.",
    tooLarge: "Sorry, that file is too large to receive here. Could you send a smaller one?",
    typeNotAllowed:
      "Sorry, we can't accept this kind of file. Please send it as an image, PDF, audio or video.",
    notStored: "Sorry, we couldn't save your file. Could you send it again in a moment?",
  },
  location: "Thanks for sharing your location ({latitude}, {longitude}){place}!",
  locationPlace: ": {place}",
  button: "You chose “{text}”. Type *menu* to see every option.",
  unsupported: "I can't read this kind of message yet. Type *menu* to see the options.",
  notUnderstood: "Sorry, I didn't get that.",
  error: "Sorry, something went wrong. Please try again in a few minutes.",
};

/** The default scripts by language. */
export const scripts: Readonly<Record<Language, BotScript>> = { es, en };
