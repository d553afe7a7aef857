// Our additions to the properties panel: candidate group and assignee pickers filled from the organisation
// (GET /api/designer/task-groups, /assignees), and a button that opens the form designer for a user task.
import { SelectEntry, isSelectEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { jsx, jsxs } from '@bpmn-io/properties-panel/preact/jsx-runtime';
import { is, getBusinessObject } from 'bpmn-js/lib/util/ModelUtil';

const LOW_PRIORITY = 400;
const userAssignmentGroup = 'CamundaPlatform__UserAssignment';

/** Holds what the server told us about the organisation; configured as `cwDirectory` in the modeler's options. */
function Directory(config) {
  this.taskGroups = config?.taskGroups ?? [];
  this.assignees = config?.assignees ?? [];
}
Directory.$inject = ['config.cwDirectory'];

function PickersProvider(propertiesPanel, translate) {
  propertiesPanel.registerProvider(LOW_PRIORITY, this);
  this._translate = translate;
}
PickersProvider.$inject = ['propertiesPanel', 'translate'];

PickersProvider.prototype.getGroups = function (element) {
  return (groups) => {
    if (!is(element, 'bpmn:UserTask')) {
      return groups;
    }
    const assignment = groups.find((group) => group.id === userAssignmentGroup);
    if (assignment) {
      const entries = assignment.entries;
      const at = (id) => entries.findIndex((entry) => entry.id === id);
      entries.splice(at('assignee') + 1, 0, { id: 'cwAssigneePicker', element, component: AssigneePicker, isEdited: isSelectEntryEdited });
      entries.splice(at('candidateGroups') + 1, 0, { id: 'cwCandidateGroupPicker', element, component: CandidateGroupPicker, isEdited: isSelectEntryEdited });
    }
    const form = { id: 'cwForm', label: this._translate('Form design'), entries: [{ id: 'cwFormDesign', element, component: FormDesignButton }] };
    const after = groups.findIndex((group) => group.id === userAssignmentGroup);
    groups.splice(after >= 0 ? after + 1 : groups.length, 0, form);
    return groups;
  };
};

function picker(property, label, listOf) {
  return function Picker({ element, id }) {
    const modeling = useService('modeling');
    const directory = useService('cwDirectory');
    const translate = useService('translate');
    const options = listOf(directory);
    const getValue = () => {
      const current = getBusinessObject(element).get(property) ?? '';
      return options.some((option) => option.value === current) ? current : '';
    };
    const setValue = (value) => {
      if (value) {
        modeling.updateProperties(element, { [property]: value });
      }
    };
    const getOptions = () => [{ value: '', label: translate('— pick from the list —') }, ...options.map((option) => ({ value: option.value, label: option.label }))];
    return SelectEntry({ element, id, label: translate(label), getValue, setValue, getOptions });
  };
}

const CandidateGroupPicker = picker('camunda:candidateGroups', 'Pick a group', (directory) => directory.taskGroups);
const AssigneePicker = picker('camunda:assignee', 'Pick a person', (directory) => directory.assignees);

function FormDesignButton({ element }) {
  const eventBus = useService('eventBus');
  const translate = useService('translate');
  const formKey = getBusinessObject(element).get('camunda:formKey');
  return jsxs('div', {
    class: 'bio-properties-panel-entry cw-form-entry',
    children: [
      jsx('p', { class: 'cw-form-key', children: formKey ? formKey : translate('No form yet') }),
      jsx('button', { type: 'button', id: 'cw-design-form', class: 'cw-form-button', onClick: () => eventBus.fire('cw.form.design', { element }), children: translate('Design form…') }),
    ],
  });
}

export const pickersModule = {
  __init__: ['cwPickersProvider'],
  cwDirectory: ['type', Directory],
  cwPickersProvider: ['type', PickersProvider],
};
