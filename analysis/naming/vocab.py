"""Word tables for :mod:`analysis.naming.tokens` and :mod:`analysis.naming.parse` (lower-case keys).

Kept apart from the parser so the tables can grow without touching the logic. Where a word could be
two types the collision is settled here once, by which reading dominates on the Hub, and noted:

- ``it`` is the Gemma-style instruction-tuned tag (variant-type), not Italian; ``my``, ``is``, ``as``,
  ``to``, ``be``, ``no``, ``am``, ``id``, ``he``, ``ms`` are left out of the ISO codes because as
  name parts they are mostly English words, author initials or abbreviations.
- ``alpaca``, ``orca``, ``dolly``, ``openhermes``, ``ultrachat`` are datasets (what a fine-tune is
  trained *on*); ``vicuna``, ``zephyr``, ``guanaco`` are models people build on.
- Language vs nationality (Ajibode et al. keep both): a word naming a *language* ("japanese", "ja",
  "korean", "multilingual") is language; a word naming a *country, people or region* that is not
  itself a language name ("japan", "korea", "indian", "african", "swiss", "jp", "kr", "cn") is
  nationality. A two-letter language code fused onto a known name as a prefix ("KoAlpaca",
  "KoSOLAR", "ruGPT") is nationality: it marks a national edition of that model rather than tagging
  the language of a data field. All three rules are lexical; no context is consulted.
- Quantisation and file-format conversions (GGUF, GPTQ, 4bit, q4_k_m, mlx, ...) are variant-type,
  as the paper's own data labels such repos a "quantized" variant; ``hf``/``safetensors``/``onnx``
  (packaging, not a different model) are description.
"""

from __future__ import annotations

SEGMENT_TYPES: tuple[str, ...] = (
    "identifier",
    "base-model",
    "size",
    "training-mechanism",
    "description",
    "variant-type",
    "version",
    "task",
    "dataset",
    "language",
    "creation-date",
    "nationality",
    "ambiguous",
)

# Single-token base models. Names with a trailing family number ("llama3", "qwen2.5", "phi3") are
# also recognised by stripping the number and looking the stem up here.
BASE_MODELS: frozenset[str] = frozenset(
    """
    llama llama2 llama3 codellama tinyllama openllama vicuna alpacino koala guanaco zephyr
    mistral mixtral mathstral codestral ministral qwen qwq gemma codegemma recurrentgemma paligemma
    phi yi solar falcon bloom bloomz opt pythia gpt gpt2 gptj gptneo gptneox distilgpt2 dialogpt
    gpt3 gpt4 chatgpt mpt stablelm starcoder starcoderbase santacoder codegen deepseek internlm
    baichuan chatglm glm mamba rwkv olmo smollm minicpm dbrx jamba orion aquila xverse nemotron
    granite aya command commandr redpajama cerebras polyglot kogpt kobert koalpaca wizardlm
    wizardcoder wizardmath hermes openchat neuralchat starling dolphin tulu yarn nous
    bert roberta distilroberta albert electra deberta mdeberta distilbert tinybert mobilebert
    squeezebert xlm xlnet camembert flaubert bertin beto biobert scibert pubmedbert bluebert
    clinicalbert bioclinicalbert finbert legalbert codebert graphcodebert unixcoder bertweet
    herbert rubert sbert indobert banglabert arabert marbert camelbert muril indicbert ernie
    rembert luke mluke canine funnel longformer bigbird reformer ibert megatron
    bart mbart pegasus t5 mt5 byt5 flant5 ul2 led prophetnet marian opus nllb m2m100 madlad mt0
    minilm mpnet e5 bge gte labse splade colbert dpr simcse contriever instructor jina nomic
    wav2vec wav2vec2 hubert wavlm whisper speecht5 seamless mms bark musicgen encodec unispeech
    vit deit beit swin convnext resnet efficientnet mobilenet regnet clip blip blip2 llava sam
    detr yolos yolo segformer dinov2 dino mask2former maskformer layoutlm layoutlmv2 layoutlmv3
    lilt donut trocr pix2struct idefics fuyu kosmos florence git owlvit siglip
    sd sdxl stablediffusion kandinsky pixart controlnet vae unet
    setfit ctrl gptsw3 persimmon openelm cohere
    """.split()
)

# Multi-token names, as lower-case token tuples, longest first when matched. Type per entry so one
# table serves every type that needs more than one token.
MULTI_TOKEN: dict[tuple[str, ...], str] = {
    ("flan", "t5"): "base-model",
    ("flan", "ul2"): "base-model",
    ("xlm", "roberta"): "base-model",
    ("xlm", "r"): "base-model",
    ("gpt", "neo"): "base-model",
    ("gpt", "neox"): "base-model",
    ("gpt", "j"): "base-model",
    ("gpt", "sw3"): "base-model",
    ("stable", "diffusion"): "base-model",
    ("stable", "diffusion", "xl"): "base-model",
    ("open", "llama"): "base-model",
    ("code", "llama"): "base-model",
    ("tiny", "llama"): "base-model",
    ("command", "r"): "base-model",
    ("command", "r", "plus"): "base-model",
    ("sentence", "t5"): "base-model",
    ("opus", "mt"): "base-model",
    ("neural", "chat"): "base-model",
    ("nous", "hermes"): "base-model",
    ("open", "hermes"): "dataset",
    ("legal", "bert"): "base-model",
    ("bio", "bert"): "base-model",
    ("sci", "bert"): "base-model",
    ("fin", "bert"): "base-model",
    ("deep", "seek"): "base-model",
    ("wav2vec2", "xls", "r"): "base-model",
    ("fine", "tuned"): "training-mechanism",
    ("fine", "tune"): "training-mechanism",
    ("fine", "tuning"): "training-mechanism",
    ("pre", "trained"): "training-mechanism",
    ("instruction", "tuned"): "training-mechanism",
    ("instruct", "tuned"): "training-mechanism",
    ("question", "answering"): "task",
    ("text", "classification"): "task",
    ("token", "classification"): "task",
    ("sequence", "classification"): "task",
    ("text", "generation"): "task",
    ("title", "generation"): "task",
    ("named", "entity", "recognition"): "task",
    ("sentiment", "analysis"): "task",
    ("machine", "translation"): "task",
    ("speech", "recognition"): "task",
    ("text", "to", "speech"): "task",
    ("image", "classification"): "task",
    ("object", "detection"): "task",
    ("fake", "news"): "task",
    ("hate", "speech"): "task",
    ("sst", "2"): "dataset",
    ("squad", "v2"): "dataset",
    ("squad", "2"): "dataset",
    ("squad", "2.0"): "dataset",
    ("cnn", "dailymail"): "dataset",
    ("ag", "news"): "dataset",
    ("common", "voice"): "dataset",
    ("tweet", "eval"): "dataset",
    ("hh", "rlhf"): "dataset",
    ("no", "robots"): "dataset",
    ("wiki", "text"): "dataset",
    ("conll", "2003"): "dataset",
    ("conll", "03"): "dataset",
    ("open", "orca"): "dataset",
    ("slim", "orca"): "dataset",
    ("ultra", "chat"): "dataset",
    ("zh", "cn"): "language",
    ("zh", "tw"): "language",
    ("pt", "br"): "language",
}
MULTI_MAX = max(len(k) for k in MULTI_TOKEN)

# Compact single-token spellings of the multi-token names above (people drop the hyphen).
BASE_MODELS = BASE_MODELS | {"".join(k) for k, v in MULTI_TOKEN.items() if v == "base-model"}

TRAINING: frozenset[str] = frozenset(
    """
    sft dpo cdpo ipo kto orpo simpo rlhf rlaif ppo grpo lora qlora dora peft adapter adapters
    finetuned finetune finetuning ft tuned distilled distill distillation merged merge merges slerp
    ties dare linear passthrough frankenmerge moe pretrained pretrain pretraining continued cpt
    trained trainer instruction rl reward rm mlm clm dapt tapt
    """.split()
)

VARIANT: frozenset[str] = frozenset(
    """
    instruct chat it code coder math uncased cased lite light plus pro turbo ultra max
    gguf ggml awq gptq exl2 exl3 hqq aqlm eetq bnb 4bit 8bit 3bit 2bit 5bit 6bit int4 int8 fp16 fp8
    fp32 bf16 nf4 quantized quantised quant quantization mlx imatrix imat q2 q3 q4 q5 q6 q8
    """.split()
)

# Size tiers. Ajibode et al.'s Size share (14.2 %) is only reachable if BERT-style tiers count as
# size, so they do; "base" is the exception when the name also has a parameter count
# ("Mistral-7B-base": pretrained, not instruction-tuned), where it is variant-type.
SIZE_WORDS: frozenset[str] = frozenset(
    "tiny mini small base medium large xl xxl xlarge xxlarge nano micro pico huge giant".split()
)

# "q4_k_m"-style llama.cpp quant names and "4.0bpw"/"128g"/"w4a16" are recognised by regex in the
# parser; these are words that only ever mean the packaging of the same weights.
FORMAT_DESCRIPTION: frozenset[str] = frozenset("hf safetensors onnx ckpt openvino ov tflite coreml".split())

TASKS: frozenset[str] = frozenset(
    """
    ner pos qa sentiment summarization summarisation summarizer summary summarize translation
    translator translate classification classifier cls clf asr tts stt ocr nli zsc paraphrase
    paraphraser embedding embeddings embed retrieval retriever reranker rerank ranker detection
    detector generation generator chatbot emotion emotions toxicity toxic hate spam sarcasm
    stance intent punctuation grammar spelling spell correction keyword keywords tagger tagging
    parser parsing segmentation captioning caption vqa diarization diarisation transcription
    similarity sts absa topic topics mrc extraction extractor sql text2sql nl2sql rag tokenizer
    """.split()
)

DATASETS: frozenset[str] = frozenset(
    """
    squad squad2 squadv2 squad_v2 imdb glue superglue sst2 sst sst5 conll conll03 conll2003
    conll2002 wikitext wikitext2 wikitext103 alpaca ultrachat ultrafeedback mnli mrpc cola qnli rte
    wnli stsb qqp xnli samsum xsum cnndm wikiann wikiner ontonotes openorca orca slimorca dolly
    oasst oasst1 oasst2 sharegpt gsm8k mmlu c4 pile bookcorpus agnews yelp amazon tweeteval
    commonvoice librispeech jsts jnli jsquad klue korquad kornli platypus openhermes capybara
    airoboros evol evolinstruct codealpaca metamath metamathqa openmath mbpp humaneval arc
    hellaswag truthfulqa winogrande boolq piqa lambada wmt wmt14 wmt16 wmt19 opus100 flores
    cnn dailymail panx xtreme wnut wnut17 eli5 billsum kde4 funsd codeparrot sciie chemprot opus_books
    xlsum tydiqa mlqa e2e dart webnlg europarl cc100 oscar mc4 laion coco imagenet cifar10 cifar100 mnist fashionmnist voxpopuli
    fleurs gigaspeech tedlium sciq pubmed pubmedqa medqa medmcqa bioasq scifact fever hotpotqa
    triviaqa nq msmarco beir trec dbpedia emotion2 goemotions semeval sentiment140 financialphrasebank
    fpb banking77 clinc massive snli multinli anli adversarialqa quac coqa drop race cosmosqa
    nectar tulu noRobots lmsys wizardlm_evol openassistant guanaco_dataset
    """.lower().split()
)

# ISO 639-1 codes kept (see module docstring for the ones dropped) and language names.
LANGUAGES: frozenset[str] = frozenset(
    """
    en de fr es pt ru zh ja ko ar tr vi th hi fa nl pl sv fi da nb nn cs el uk ro hu bg bn ta te ur
    sw yo ha ig zu xh af ca eu gl et lv lt sk sl hr sr bs mk sq hy ka az kk uz ky mn ne si km lo ml
    kn mr gu pa tl jv su la ga cy is_ mt lb fo
    eng deu ger fra fre spa por rus zho chi jpn kor ara tur vie tha hin fas per nld dut pol swe fin
    english german french spanish italian portuguese russian chinese mandarin cantonese japanese korean
    arabic turkish vietnamese thai hindi persian farsi dutch polish swedish finnish danish norwegian
    czech greek ukrainian romanian hungarian bulgarian bengali bangla tamil telugu urdu swahili
    yoruba hausa igbo zulu xhosa afrikaans catalan basque galician estonian latvian lithuanian
    slovak slovenian croatian serbian bosnian macedonian albanian armenian georgian azerbaijani
    kazakh uzbek kyrgyz mongolian nepali sinhala khmer lao malayalam kannada marathi gujarati
    punjabi tagalog filipino javanese sundanese latin irish welsh icelandic maltese hebrew
    indonesian malay amharic somali burmese tibetan uyghur pashto kurdish sanskrit
    portugues espanol deutsch francais italiano nederlands polski turkce
    multilingual bilingual crosslingual monolingual multilang indic
    """.split()
) - {"is_", "ml", "la", "ne", "pa", "su", "et", "lo", "si", "mt", "ga", "tl", "af"}

NATIONALITIES: frozenset[str] = frozenset(
    """
    japan korea china taiwan india indian usa america american british uk_ brazil brazilian mexico
    mexican nigeria nigerian kenya kenyan ghana ethiopia egypt egyptian saudi emirati uae morocco
    moroccan algeria tunisia africa african europe european asia asian swiss austria austrian
    belgium canada canadian australia australian vietnam thailand indonesia malaysia singapore
    philippines pakistan pakistani bangladesh iran iranian iraq iraqi turkey israel israeli
    russia ukraine poland italy italian france spain germany netherlands sweden norway denmark
    finland greece portugal argentina chile colombia peru latam latin_american nordic scandinavian
    jp kr cn tw hk sg
    """.split()
) - {"uk_", "latin_american", "italian"}

# Two-letter language prefixes that may be fused onto a known name (KoAlpaca, ruGPT, JaLLaMA).
FUSED_LANG_PREFIX: frozenset[str] = frozenset("ko ja zh ru ar de fr es pt vi th tr it id hi fa".split())

# Brand/organisation words that name who made a model: counted as identifier even when not first.
ORGS: frozenset[str] = frozenset(
    """
    google facebook meta microsoft openai mistralai anthropic nvidia ibm amazon apple alibaba
    tencent baidu huawei bigscience eleutherai tiiuae stabilityai huggingface hf_ intel sberbank
    deepmind allenai ai2 cohereforai nousresearch teknium thebloke unsloth lmsys
    """.split()
) - {"hf_"}

DESCRIPTION: frozenset[str] = frozenset(
    """
    model models test testing demo example sample custom new old final best checkpoint ckpt step
    steps epoch epochs latest experimental exp preview beta alpha rc release stable dev draft
    trial try run tmp temp simple basic tiny_ toy baseline improved updated v
    legal law medical med clinical bio biomedical health healthcare financial finance fin
    scientific science sci news twitter tweet tweets reddit wiki wikipedia web social covid
    patent patents academic math_ code_ programming python java sql_ story stories poem poetry
    roleplay rp erp nsfw uncensored censored abliterated creative writing writer assistant
    helpful uncensored dialogue dialog conversation conversational chatml vision visual
    multimodal image text speech audio voice music video document doc docs table tables
    long longctx context extended ext rope yarn_ domain general generic english_only
    for and with the of on in from by to a an at via using all
    lm llm slm plm mlm_ nlp ai bot agent tokenizer_ vocab
    """.split()
) - {"tiny_", "math_", "code_", "sql_", "yarn_", "english_only", "mlm_", "tokenizer_"}
