// Voice intake (语音转文本): a 录音 button beside a text box. The browser records (MediaRecorder), the recording is
// turned into 16 kHz mono WAV (what the provider's short-sentence and file recognition take) and sent to
// /api/public/speech/recordings; the transcript is put in the text box for correction, and the recording's id goes
// with the complaint (voiceRecordingId) so it is attached when the complaint is filed. Without a configured provider
// the button is disabled and says so.
import { api } from './api.js';
import { h } from './dom.js';
import { define, t } from './i18n.js';

define({
  'voice.record': ['录音', 'Record'],
  'voice.stop': ['停止录音', 'Stop'],
  'voice.notConfigured': ['未配置语音识别服务', 'No speech-recognition service configured'],
  'voice.noMicrophone': ['无法使用麦克风：{error}', 'The microphone cannot be used: {error}'],
  'voice.recording': ['正在录音，说完请按“停止录音”', 'Recording: press Stop when done'],
  'voice.working': ['正在识别……', 'Recognising…'],
  'voice.done': ['识别完成，请核对并修改文字后再提交。录音将作为附件随投诉提交。', 'Recognised: check and correct the text before submitting. The recording is attached to the complaint.'],
  'voice.failed': ['语音识别失败：{error}', 'Speech recognition failed: {error}'],
});

const TARGET_RATE = 16000;

function wav(samples, rate) {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (offset, s) => [...s].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF'); view.setUint32(4, 36 + samples.length * 2, true); text(8, 'WAVE');
  text(12, 'fmt '); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  text(36, 'data'); view.setUint32(40, samples.length * 2, true);
  samples.forEach((v, i) => view.setInt16(44 + i * 2, Math.max(-1, Math.min(1, v)) * 0x7fff, true));
  return new Blob([buffer], { type: 'audio/wav' });
}

/** The recording as 16 kHz mono WAV; the original blob when the browser cannot decode it. */
async function toWav(blob) {
  try {
    const decoded = await new AudioContext().decodeAudioData(await blob.arrayBuffer());
    const frames = Math.max(1, Math.ceil(decoded.duration * TARGET_RATE));
    const offline = new OfflineAudioContext(1, frames, TARGET_RATE);
    const source = offline.createBufferSource();
    source.buffer = decoded;
    source.connect(offline.destination);
    source.start();
    const rendered = await offline.startRendering();
    return wav(rendered.getChannelData(0), TARGET_RATE);
  } catch {
    return blob;
  }
}

/** Mounts the record button for `textarea`; answers { element, recordingId() }. */
export async function voiceInput(textarea, { idPrefix }) {
  const status = await api('/api/public/speech', { onUnauthorized: 'ignore' }).catch(() => ({ configured: false }));
  const button = h('button', { type: 'button', id: `${idPrefix}-voice`, class: 'secondary', disabled: !status.configured }, status.configured ? t('voice.record') : t('voice.notConfigured'));
  const note = h('div', { id: `${idPrefix}-voice-status`, class: 'muted', role: 'status' }, status.configured ? '' : t('voice.notConfigured'));
  let recorder = null;
  let recordingId = null;
  let stopTimer = null;

  async function send(blob) {
    note.textContent = t('voice.working');
    try {
      const audio = await toWav(blob);
      const answer = await api('/api/public/speech/recordings', { body: audio, contentType: audio.type.split(';')[0], onUnauthorized: 'ignore' });
      recordingId = answer.recordingId;
      textarea.value = textarea.value.trim() ? `${textarea.value.trim()}\n${answer.transcript}` : answer.transcript;
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
      note.textContent = t('voice.done');
    } catch (error) {
      recordingId = error.problem?.recordingId ?? recordingId;
      note.textContent = t('voice.failed', { error: error.message });
    }
    button.disabled = false;
  }

  button.addEventListener('click', async () => {
    if (recorder) {
      clearTimeout(stopTimer);
      recorder.stop();
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      note.textContent = t('voice.noMicrophone', { error: error.message });
      return;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.addEventListener('dataavailable', (e) => { if (e.data.size) chunks.push(e.data); });
    recorder.addEventListener('stop', () => {
      stream.getTracks().forEach((track) => track.stop());
      recorder = null;
      button.textContent = t('voice.record');
      button.disabled = true;
      send(new Blob(chunks, { type: chunks[0]?.type || 'audio/webm' }));
    });
    recorder.start();
    button.textContent = t('voice.stop');
    note.textContent = t('voice.recording');
    // Stopped by itself at the server's length limit.
    stopTimer = setTimeout(() => recorder?.stop(), (status.maxDurationSeconds || 120) * 1000);
  });

  return { element: h('div', { class: 'voice-input' }, button, note), recordingId: () => recordingId, reset: () => { recordingId = null; } };
}
